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


# A language is named only when the identifier is this sure; a headline-length text or a list of
# names is often read as Tagalog or Latin at low confidence, and is then left undetermined (None).
LANGUAGE_CONFIDENCE = 0.9
LANGUAGE_SAMPLE_CHARS = 5000
ENGLISH_IMPLAUSIBLE = 0.02  # English's probability below which a close pair of other languages wins


@lru_cache(maxsize=1)
def _identifier():
    """py3langid's model, limited to the languages that have an ISO 639-1 code (what we report)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ident.set_languages([code for code in ident.labels if len(code) == 2])
    return ident


def identify_language(text: str) -> tuple[str | None, float]:
    """(ISO 639-1 code, probability) of the text's language; (None, p) when it is not clear."""
    sample = text[:LANGUAGE_SAMPLE_CHARS]
    if sum(map(str.isalpha, sample)) < 12:  # too few letters to tell a language
        return None, 0.0
    # Case carries no language; all-caps headlines read better lowered.
    ranked = _identifier().rank(sample.lower() if sample.isupper() else sample)
    (code, prob), (_, second) = ranked[0], ranked[1]
    if code == "en" or prob >= LANGUAGE_CONFIDENCE:
        return code, float(prob)
    # Sister languages share the mass (Indonesian and Malay, Russian and Ukrainian, Portuguese and
    # Galician): the text is surely not English when two languages hold nearly all of it and English
    # holds almost none. An English headline read as Tagalog or Latin keeps a share for English.
    english = next((p for c, p in ranked if c == "en"), 0.0)
    if english < ENGLISH_IMPLAUSIBLE and prob + second >= LANGUAGE_CONFIDENCE and prob >= 0.4:
        return code, float(prob)
    return None, float(prob)


def language_code(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when it cannot be told with confidence.

    The coder's rules and model are English: an article in another language is kept and
    stored, but not coded (see pipeline), so a false "not English" costs its events.
    """
    return identify_language(text)[0]


_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")


def repair_unicode(text: str) -> tuple[str, list[str]]:
    """Text any encoder and database accepts, and what was done to it.

    Lone surrogates (from a JSON "\\ud800" escape or a bad decoder) cannot be written as UTF-8:
    they become U+FFFD. NUL and other C0 controls (a binary scrap in a text) become spaces, as
    PostgreSQL refuses NUL in text. Tab, line feed, form feed and carriage return stay.
    """
    notes: list[str] = []
    if _SURROGATE.search(text):
        # Paired surrogates become their character; lone ones the replacement character.
        fixed = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
        lone = fixed.count("\ufffd") - text.count("\ufffd")
        text = fixed
        if lone > 0:
            notes.append(f"{lone} lone surrogate(s) replaced by U+FFFD")
    if _CONTROL.search(text):
        notes.append(f"{len(_CONTROL.findall(text))} control character(s) replaced by spaces")
        text = _CONTROL.sub(" ", text)
    return text, notes


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
        return Article(title=title, outlet=raw.outlet, url=raw.url, published=raw.published,
                       language=language_code(text), text=text)
    if title is None and not raw.extra.get("html_extracted"):
        title, text = split_headline(text)
    wire: list[str] = []
    body, credits, removed = clean_text(text, wire)
    return Article(title=title, outlet=raw.outlet, url=raw.url, published=raw.published,
                   language=language_code(body), credits=credits, text=body, removed=removed,
                   wire=wire[0] if wire else None)
