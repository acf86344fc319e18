"""How much of a corpus the dependency parser could skip (issue 11): the share of sentences, and of
tokens, that hold an event-lexicon lemma, a claim cue, or a time or number a later stage reads.
Only a sentence holding none of these could go unparsed.

    python bench/parse_selection.py --corpus /work/shared/eval/clusters/dev.jsonl --n 40
"""
import argparse

from eventwire.analyse import load_nlp
from eventwire.clean import clean
from eventwire.data import load_yaml
from eventwire.headline import headline_first
from eventwire.ingest import RawArticle, read_paths
from eventwire.lexicon import event_entries, reporting_certainty, say_verbs

ap = argparse.ArgumentParser()
ap.add_argument("--corpus", required=True)
ap.add_argument("--n", type=int, default=40)
args = ap.parse_args()
items = [i for i in read_paths([args.corpus]) if isinstance(i, RawArticle)][:args.n]
texts = [headline_first(clean(i)).text for i in items]
nlp = load_nlp()
v, n = event_entries()
lem = {e["lemma"] for e in v} | {e["lemma"] for e in n}
cl = load_yaml("claims.yaml")
cues = set(say_verbs()) | set(reporting_certainty())
for k in ("denial_verbs_with_object", "accusation_verbs", "hedge_adverbs", "hedge_raising_verbs", "claim_nouns"):
    cues |= {str(x) for x in cl.get(k, [])}
NUMERIC = {"DATE", "TIME", "CARDINAL", "QUANTITY", "MONEY", "PERCENT"}
tot = sel = tt = st = 0  # sentences, selected sentences, tokens, selected tokens
why = {"trigger": 0, "cue": 0, "num": 0}
for d in nlp.pipe(texts):
    for s in d.sents:
        tot += 1
        tt += len(s)
        a = any(t.lemma_.lower() in lem for t in s)
        b = any(t.lemma_.lower() in cues for t in s)
        c = any(t.ent_type_ in NUMERIC or t.like_num for t in s)
        if a or b or c:
            sel += 1
            st += len(s)
        why["trigger"] += a
        why["cue"] += b
        why["num"] += c
print(f"sentences {tot}, selected {sel} ({100 * sel / tot:.0f}%), tokens selected {100 * st / tt:.0f}%", why,
      "lexicon lemmas", len(lem))
