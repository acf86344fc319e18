"""Stage 2, clean: keep the article, drop the debris, and say what was dropped.

Works line by line on plain text (and on the text trafilatura pulled from a
page, which has lost most furniture already): repeated lines, footers and
share/related lines go, each with a reason; agency tags such as "(Reuters)"
are moved from the text into `credits`. Kept lines become paragraphs joined by
a blank line, so every offset later points into `Article.text`.
"""

from __future__ import annotations

import re
from functools import lru_cache

from eventwire.data import load_yaml
from eventwire.dictionary import dictionary
from eventwire.ingest.base import RawArticle
from eventwire.model import Article, Removed

# "(Reuters)", "(AFP) -", "KYIV, March 3 (Reuters) -" : a tag naming an agency or outlet.
# A dateline is a few capitalised words, numbers and commas: "KYIV, March 3", "Khartoum".
_DATELINE = r"(?:[A-Z][\w.'/\-]*|\d{1,4})(?:[ ,]+(?:[A-Z][\w.'\-]*|\d{1,4})){0,5}"
_LEAD_TAG = re.compile(rf"^(?P<dateline>{_DATELINE})?\s*\((?P<src>[A-Z][\w.\- ]{{1,40}}?)\)\s*[-–—:]?\s*")
_TRAIL_TAG = re.compile(r"\s*\((?P<src>[A-Z][\w.\- ]{1,40}?)\)\s*$")


@lru_cache(maxsize=1)
def _boilerplate() -> list[tuple[str, re.Pattern[str]]]:
    return [(reason, re.compile(p, re.IGNORECASE)) for reason, pats in load_yaml("boilerplate.yaml").items()
            for p in pats]


@lru_cache(maxsize=1)
def _stoplists() -> dict[str, frozenset[str]]:
    import justext  # ships stop-word lists for 100 languages (a trafilatura dependency)

    return {name: frozenset(justext.get_stoplist(name)) for name in justext.get_stoplists()}


def language_shares(text: str, sample: int = 400) -> dict[str, float]:
    """For each language, the share of the text's first words that are its stop words."""
    words = [w.lower() for w in re.findall(r"\w+", text[:sample * 12])][:sample]
    if len(words) < 8:
        return {}
    return {name: sum(1 for w in words if w in stops) / len(words) for name, stops in _stoplists().items()}


def language_code(text: str) -> str | None:
    """ISO 639-1 code of the text's language, "en" preferred when English is plausible.

    Some stop lists carry English words (jusText's Marathi list does), so English
    wins whenever its share is high in absolute terms and close to the best.
    It codes English only and reports other languages instead of inventing events.
    """
    shares = language_shares(text)
    if not shares:
        return None
    english = max(shares.pop("English", 0.0), shares.pop("Simple_English", 0.0))
    other, other_share = max(shares.items(), key=lambda kv: kv[1])
    if english >= 0.2 and english >= 0.6 * other_share:
        return "en"
    if other_share < 0.15:
        return None
    import pycountry

    name = other.replace("_", " ")
    found = pycountry.languages.get(name=name)
    return getattr(found, "alpha_2", None) or name.lower()


def _is_outlet(name: str) -> bool:
    actor = dictionary().lookup(name)
    return actor is not None and actor.type == "OUTLET"


def _norm(line: str) -> str:
    return re.sub(r"\W+", " ", line.lower()).strip()


def boilerplate_reason(line: str) -> str | None:
    for reason, pattern in _boilerplate():
        if pattern.search(line):
            return reason
    return None


def split_headline(text: str) -> tuple[str | None, str]:
    """A plain-text scrape starts with its headline: a short line without a full stop."""
    first, sep, rest = text.lstrip().partition("\n")
    if sep and rest.startswith("\n") and len(first.split()) <= 25 and not first.rstrip().endswith((".", '"', "”")):
        return first.strip(), rest
    return None, text


def take_credits(line: str, credits: list[str], wire: list[str] | None = None) -> str:
    """Move agency tags at the start or end of a line into credits.

    A tag that opens a paragraph ("(AFP) Troops ...", "KYIV, March 3 (Reuters) -")
    credits the text itself and is also appended to `wire`; a tag ending a line
    is a photo or caption credit.
    """
    m = _LEAD_TAG.match(line)
    if m and _is_outlet(m.group("src")):
        credits.append(m.group("src"))
        if wire is not None:
            wire.append(m.group("src"))
        dateline = (m.group("dateline") or "").strip().rstrip(",")
        line = (f"{dateline} - " if dateline else "") + line[m.end():]
    m = _TRAIL_TAG.search(line)
    if m and _is_outlet(m.group("src")):
        credits.append(m.group("src"))
        line = line[: m.start()].rstrip()
    return line


def clean_text(text: str, wire: list[str] | None = None) -> tuple[str, list[str], list[Removed]]:
    credits: list[str] = []
    removed: list[Removed] = []
    kept: list[str] = []
    previous = ""
    for raw in text.replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if not line:
            continue
        reason = boilerplate_reason(line)
        key = _norm(line)
        # Only a line repeating the one before is debris (a doubled caption); articles
        # legitimately repeat lines further apart (interview questions, refrains).
        if reason is None and key and key == previous and len(key) > 2:
            reason = "repeated line"
        previous = key
        if reason:
            removed.append(Removed(line, reason))
            continue
        line = take_credits(line, credits, wire)
        if line:
            kept.append(line)
    unique_credits = list(dict.fromkeys(credits))
    return "\n\n".join(kept), unique_credits, removed


def clean(raw: RawArticle, enabled: bool = True) -> Article:
    text = raw.text or ""
    title = raw.title
    if raw.html is not None and not raw.text:
        from eventwire.ingest.html import html_to_article

        item = html_to_article(raw.html, raw.origin, raw.id, raw.url, title=raw.title, outlet=raw.outlet,
                               published=raw.published)
        if isinstance(item, RawArticle):
            text, title = item.text or "", item.title
            raw.published = raw.published or item.published
            raw.outlet = raw.outlet or item.outlet
    if not enabled:
        return Article(title=title, outlet=raw.outlet, url=raw.url, published=raw.published, text=text)
    if title is None and not raw.extra.get("html_extracted"):
        title, text = split_headline(text)
    wire: list[str] = []
    body, credits, removed = clean_text(text, wire)
    return Article(title=title, outlet=raw.outlet, url=raw.url, published=raw.published,
                   language=language_code(body) or "en", credits=credits, text=body, removed=removed,
                   wire=wire[0] if wire else None)
