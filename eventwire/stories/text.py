"""Words, shingles and weighted terms: the text features the stories stage compares.

No spaCy here: the stage runs on every stored article, including ones stored
before, so it reads only what the store keeps (text, title, the record JSON).
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from functools import lru_cache
from urllib.parse import urlsplit

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
MIN_TERM_LEN = 3
SHINGLE_WORDS = 4  # word 4-grams: one edited word breaks only 4 shingles

# Entities are the strongest evidence that two reports tell the same story, so an
# entity name counts as much as this many occurrences of a plain word.
ENTITY_WEIGHT = 2.0
NAME_WEIGHT = 2.0
TITLE_WEIGHT = 2.0  # headline words say what the story is about
# In the vector the stories stage compares, the headline weighs as much as the whole body: it
# names the story in a few words, while a body may be three lines of a scrape or 2,000 words
# of background. Without a headline the body is the whole vector.
TITLE_SHARE = 0.5
ENTITY_TYPES = ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "EQUIPMENT", "MILITARY", "PRODUCT",
                "WORK_OF_ART", "LAW")


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """spaCy's English stop list (a plain Python set; importing it loads no model)."""
    from spacy.lang.en.stop_words import STOP_WORDS

    extra = {"said", "says", "say", "told", "according", "reported", "reports", "report", "news", "year",
             "years", "week", "day", "days", "time", "new", "like", "just", "people", "monday", "tuesday",
             "wednesday", "thursday", "friday", "saturday", "sunday", "image", "photo", "caption", "copyright"}
    return frozenset(STOP_WORDS | extra)


def words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[str]:
    """Word n-grams of the whole text, case and punctuation blind (copy detection)."""
    toks = words(text)
    if len(toks) < size:
        return {" ".join(toks)} if toks else set()
    return {" ".join(toks[i:i + size]) for i in range(len(toks) - size + 1)}


_SIBILANT_ES = ("ches", "shes", "sses", "xes")  # 'crashes', 'touches': the 'e' belongs to the ending


def _stem(word: str) -> str:
    """A light plural/3rd-person fold so 'troops' meets 'troop' and 'crashes' meets 'crash', no lemmatiser.

    Only endings that are unambiguous in English news are folded; anything cleverer
    (a Porter stemmer) conflates names ('Paris', 'Mays') more often than it helps.
    """
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(_SIBILANT_ES):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def content_terms(text: str) -> Counter[str]:
    stops = stop_words()
    return Counter(_stem(w) for w in words(text)
                   if len(w) >= MIN_TERM_LEN and w not in stops and not w.isdigit())


_NAME = re.compile(r"(?<![.!?\n\"“‘'(:]\s)(?<!^)\b[A-Z][^\W_]*(?:['’][^\W_]+)*", re.UNICODE)


def name_terms(text: str) -> Counter[str]:
    """Capitalised words inside a sentence: names, the cheap stand-in for entities when there is no record."""
    stops = stop_words()
    out: Counter[str] = Counter()
    for m in _NAME.finditer(text):
        w = m.group().lower().replace("’", "'")
        if len(w) >= MIN_TERM_LEN and w not in stops:
            out[_stem(w)] += 1
    return out


def entity_terms(record: Mapping | None) -> Counter[str]:
    """Canonical entity names from the stored record, as 'e:name' terms weighted by mentions."""
    out: Counter[str] = Counter()
    for ent in (record or {}).get("entities") or []:
        if ent.get("type") not in ENTITY_TYPES or not ent.get("name"):
            continue
        out["e:" + " ".join(words(ent["name"]))] += ENTITY_WEIGHT * max(1, len(ent.get("mentions") or []))
    return out


def article_terms(title: str | None, text: str, record: Mapping | None = None) -> Counter[str]:
    """Raw term counts of one article: body words, headline words (weighted) and entities."""
    counts: Counter[str] = content_terms(text)
    for term, n in content_terms(title or "").items():
        counts[term] += TITLE_WEIGHT * n
    counts.update(entity_terms(record))
    return counts


def sublinear(counts: Mapping[str, float]) -> dict[str, float]:
    """1 + log(tf), L2-normalised."""
    return normalise({t: 1.0 + math.log(n) for t, n in counts.items() if n >= 1})


def article_tf(title: str | None, text: str, record: Mapping | None = None,
               title_share: float = TITLE_SHARE) -> dict[str, float]:
    """The article's term weights before IDF: body (words and entities) and headline, in fixed shares."""
    body_counts = content_terms(text)
    for term, n in name_terms(text).items():
        body_counts[term] += (NAME_WEIGHT - 1.0) * n
    body_counts.update(entity_terms(record))
    body, head = sublinear(body_counts), sublinear(content_terms(title or ""))
    if not head or not body:
        return body or head
    mixed = {t: (1.0 - title_share) * w for t, w in body.items()}
    for t, w in head.items():
        mixed[t] = mixed.get(t, 0.0) + title_share * w
    return normalise(mixed)


def idf(df: int, num_docs: int) -> float:
    """Smoothed IDF; never below 1 so a word seen everywhere still counts a little."""
    return math.log((num_docs + 1) / (df + 1)) + 1.0


def tfidf(counts: Mapping[str, float], dfs: Mapping[str, int], num_docs: int, keep: int) -> dict[str, float]:
    """Sublinear TF x IDF, L2-normalised, cut to the `keep` heaviest terms."""
    weights = {t: (1.0 + math.log(n)) * idf(dfs.get(t, 0), num_docs) for t, n in counts.items() if n > 0}
    top = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:keep]
    return normalise(dict(top))


def normalise(vec: Mapping[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(v * v for v in vec.values()))
    return {t: v / norm for t, v in vec.items()} if norm else {}


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Cosine of two vectors already L2-normalised."""
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def stable_hash(*parts: object, bits: int = 63) -> int:
    """A signed-int-safe hash, equal on every machine (Python's hash() is salted)."""
    h = hashlib.blake2b("\x1f".join(map(str, parts)).encode("utf-8", "surrogatepass"), digest_size=8)
    return int.from_bytes(h.digest(), "big") >> (64 - bits)


def url_host(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url if "//" in url else "//" + url).hostname or ""
    return re.sub(r"^(www|m|amp|edition|mobile)\.", "", host.lower()) or None


def top_terms(vec: Mapping[str, float], n: int) -> list[str]:
    return [t for t, _ in sorted(vec.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]


def merge_counts(parts: Iterable[Mapping[str, float]]) -> Counter[str]:
    total: Counter[str] = Counter()
    for part in parts:
        total.update(part)
    return total
