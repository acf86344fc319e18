"""Incremental ingest at volume: does the stories stage stay flat as the store grows?

Generates N synthetic articles (our own templates: many short-lived stories,
several outlets, a few syndicated copies, a few events each), saves each
through `Store.save` and links it with `stories.update` in a fresh SQLite
store, bypassing spaCy so the stories stage is what is measured. Prints, every
1,000 articles, the mean linking time per article and the process RSS, then
the ratio of the per-article cost of the last 1,000 to the first 1,000.

    python bench/incremental.py [-n 10000] [--db PATH]
"""

from __future__ import annotations

import argparse
import random
import resource
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from eventwire.model import Article, Event, EventDate, Participant, Record, Span
from eventwire.store import Store
from eventwire.stories import update

COUNTRIES = ["ARD", "BEL", "COR", "DAL", "ELM", "FRO", "GAL", "HOL", "IST", "JUN", "KAR", "LUM"]
PLACES = ["Amber Bay", "Brisk Hill", "Cold Ford", "Dune Gate", "East Marsh", "Fern Vale", "Grey Port", "High Moor"]
OUTLETS = ["Daily Lantern", "Morning Courier", "Evening Signal", "Coast Radio", "Valley Herald",
           "Capital Wire", "Harbour Times", "Northern Post"]
AGENCIES = ["Reuters", "AFP", "Associated Press"]
KINDS = {
    "PROTEST": ("protesters marched", "demonstrators gathered", "crowds rallied", "workers walked out"),
    "ASSAULT": ("forces shelled", "troops attacked", "artillery struck", "units raided"),
    "CONSULT": ("ministers met", "envoys held talks", "leaders discussed", "delegations negotiated"),
    "AID": ("agencies delivered aid", "convoys brought food", "donors pledged relief", "crews shipped supplies"),
    "SANCTION": ("officials imposed sanctions", "the council froze assets", "regulators banned exports",
                 "the ministry blocked trade"),
}
FILLER = ["Witnesses described {a} scenes near the {p} square.", "Officials said more details would follow.",
          "The {n} district has seen {a} weeks of tension.", "Residents said the {a} mood persisted overnight.",
          "Analysts expect the {n} talks to resume soon.", "Local media carried images of the {a} streets.",
          "A spokesman declined to comment on the {n} reports.", "Markets in {p} reacted calmly."]
ADJ = ["tense", "quiet", "crowded", "chaotic", "calm", "uneasy", "busy", "sombre"]
NOUNS = [f"{a}{b}" for a in ("var", "tel", "mor", "sil", "kan", "pel", "dor", "bri") for b in ("ona", "ast", "ek",
                                                                                             "ura", "ino")]


def make_story(rng: random.Random, n: int, day: date) -> dict:
    kind = rng.choice(sorted(KINDS))
    # Each story has its own words (names, places, topic words), as real stories do; the
    # templates around them are shared by all stories.
    words = [f"{rng.choice(NOUNS)}{rng.choice(NOUNS)}{n}" for _ in range(20)]
    return {"id": n, "kind": kind, "actor": rng.choice(COUNTRIES), "recipient": rng.choice(COUNTRIES),
            "place": rng.choice(PLACES), "day": day, "name": f"{rng.choice(NOUNS).title()}{n}",
            "tag": f"{rng.choice(NOUNS)}{n}", "words": words}


def make_article(rng: random.Random, story: dict, i: int, day: date) -> Record:
    verb = rng.choice(KINDS[story["kind"]])
    lead = (f"In {story['place']}, {verb} on {story['day']:%A} as {story['name']} of {story['actor']} "
            f"confronted {story['recipient']} over the {story['tag']} dispute.")
    filler = [rng.choice(FILLER).format(a=rng.choice(ADJ), p=story["place"], n=rng.choice(story["words"]))
              for _ in range(rng.randint(1, 3))]
    filler += [" ".join(rng.sample(story["words"], 5)).capitalize() + "." for _ in range(rng.randint(3, 6))]
    text = " ".join([lead, *filler, f"Report number {i} on the {story['tag']} affair."])
    span = Span(0, len(lead), lead)
    events = [Event(id="v1", type=story["kind"], trigger=Span(0, 2, text[:2]), evidence=span,
                    actor=Participant(story["actor"], country=story["actor"]),
                    recipient=Participant(story["recipient"], country=story["recipient"]),
                    date=EventDate(story["day"].isoformat(), None, "day"))]
    credits = [rng.choice(AGENCIES)] if rng.random() < 0.2 else []
    art = Article(title=f"{story['name']} and the {story['tag']} {story['kind'].lower()}",
                  outlet=rng.choice(OUTLETS), url=f"https://news{i % 97}.example/{i}",
                  published=day.isoformat(), credits=credits, text=text)
    return Record(id=str(i), article=art, events=events)


def stream(n: int, seed: int = 7):
    """Articles in time order: ~30 a day, stories live 1-6 days, some copies of earlier articles."""
    rng = random.Random(seed)
    day, live, made, recent = date(2025, 1, 1), [], 0, []
    for i in range(n):
        if i % 30 == 0:
            day += timedelta(days=1)
            live = [s for s in live if (day - s["day"]).days <= s["life"]]
        if not live or rng.random() < 0.15:
            story = make_story(rng, made, day)
            story["life"] = rng.randint(1, 6)
            live.append(story)
            made += 1
        if recent and rng.random() < 0.05:  # a syndicated copy: another outlet, one sentence added
            rec = rng.choice(recent)
            rec = Record(id=str(i), article=Article(
                title="Copy: " + (rec.article.title or ""), outlet=rng.choice(OUTLETS),
                url=f"https://copy.example/{i}", published=day.isoformat(), credits=rec.article.credits,
                text=rec.article.text + " Additional reporting by staff."), events=rec.events)
        else:
            rec = make_article(rng, rng.choice(live), i, day)
        recent = (recent + [rec])[-50:]
        yield rec


def rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=10_000)
    parser.add_argument("--db", default=None, help="SQLite file (default: a temporary one)")
    parser.add_argument("--every", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(args.db or str(Path(tmp) / "bench.db"))
        costs: list[float] = []  # wall time of linking, per article
        cpu: list[float] = []  # CPU time of linking: the figure other processes on the machine do not blur
        save_s = 0.0
        for i, rec in enumerate(stream(args.n), 1):
            t0 = time.perf_counter()
            key = store.save(rec, origin=f"bench:{i}")
            t1, c1 = time.perf_counter(), time.process_time()
            update(store, [key])
            t2, c2 = time.perf_counter(), time.process_time()
            save_s += t1 - t0
            costs.append(t2 - t1)
            cpu.append(c2 - c1)
            if i % args.every == 0:
                window = costs[-args.every:]
                cwin = cpu[-args.every:]
                print(f"{i:>6} articles  link {1000 * sum(window) / len(window):6.2f} ms/article "
                      f"(CPU {1000 * sum(cwin) / len(cwin):6.2f})  "
                      f"save {1000 * save_s / i:5.2f} ms/article  RSS {rss_mb():6.1f} MB", flush=True)
        ratio = _ratio(costs, args.every)
        cpu_ratio = _ratio(cpu, args.every)
        print(f"stories: {store.count('stories')} (generated: {_made(args.n)})  merged events: {store.count('events')}  "
              f"copies: {_copies(store)}")
        print(f"per-article linking cost, last {args.every} / first {args.every}: wall {ratio:.2f}, "
              f"CPU {cpu_ratio:.2f}")
        store.engine.dispose()


def _made(n: int) -> int:
    return len({rec.article.title.removeprefix("Copy: ") for rec in stream(n)})


def _ratio(costs: list[float], n: int) -> float:
    first, last = costs[:n], costs[-n:]
    return (sum(last) / len(last)) / (sum(first) / len(first))


def _copies(store: Store) -> int:
    with store.connect() as conn:
        return conn.exec_driver_sql("SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL").scalar()


if __name__ == "__main__":
    main()
