"""Copies: exact and near-duplicate articles, and the independence key of each article.

MinHash signatures over word 4-gram shingles are cut into bands; each band's
hash goes into the `minhash_bands` table (LSH in SQL), so finding the stored
articles that may be copies of a new one is a handful of indexed look-ups and
memory stays flat however many articles are stored. Candidates are then
checked exactly on their shingles: a copy either shares most of its shingles
with the other text (Jaccard) or is nearly all contained in it (a wire story
with a paragraph cut or added).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash
from sqlalchemy import bindparam, func, insert, select
from sqlalchemy.engine import Connection

from eventwire.dictionary import dictionary
from eventwire.store.schema import articles, minhash_bands
from eventwire.stories.text import content_terms, shingles, stable_hash, url_host

NUM_PERM = 128
ROWS_PER_BAND = 3  # 42 bands of 3: a pair at Jaccard 0.5 is a candidate with p > 0.99, at 0.1 with p < 0.05
NUM_BANDS = NUM_PERM // ROWS_PER_BAND
SEED = 1  # fixed: signatures stored by earlier runs must stay comparable

JACCARD_MIN = 0.5  # this much shared wording is a copy, whatever was edited
CONTAINMENT_MIN = 0.8  # or the shorter text is (nearly) all inside the longer one
MIN_SHINGLES = 15  # a few lines in common (a quote, a boilerplate line) never make a copy
MAX_CANDIDATES = 25
# Fewer shared shingles than this (about three lines) may be boilerplate: the headlines must agree too.
STRONG_SHARED = 40
HEADLINE_JACCARD_MIN = 0.2


@dataclass
class Copy:
    canonical: str  # key of the canonical article
    jaccard: float
    containment: float


def signature(shingle_set: set[str]) -> np.ndarray:
    mh = MinHash(num_perm=NUM_PERM, seed=SEED)
    mh.update_batch([s.encode("utf-8", "surrogatepass") for s in sorted(shingle_set)])
    return mh.hashvalues


def buckets(sig: np.ndarray) -> list[int]:
    """One bucket id per band: equal bucket means equal band values."""
    return [stable_hash(b, *sig[b * ROWS_PER_BAND:(b + 1) * ROWS_PER_BAND].tolist()) for b in range(NUM_BANDS)]


def similarity(a: set[str], b: set[str]) -> tuple[float, float]:
    """(Jaccard, containment of the smaller set in the larger)."""
    if not a or not b:
        return 0.0, 0.0
    inter = len(a & b)
    return inter / len(a | b), inter / min(len(a), len(b))


def headline_terms(title: str | None) -> set[str]:
    return set(content_terms(title or ""))


def headlines_agree(a: set[str], b: set[str]) -> bool:
    """Whether two headlines may be one story's: either unknown, or sharing enough of their words."""
    if not a or not b:
        return True
    return len(a & b) / len(a | b) >= HEADLINE_JACCARD_MIN


def is_copy(a: set[str], b: set[str], head_a: set[str] | None = None, head_b: set[str] | None = None
            ) -> tuple[bool, float, float]:
    """Whether two texts (as shingle sets) are copies; headlines (as term sets) decide short bodies.

    A body long enough to share STRONG_SHARED shingles is a copy on its own, whatever
    its headline became. A shorter one may be nothing but the page furniture an outlet
    prints under every headline, so its headline must agree as well.
    """
    jac, cont = similarity(a, b)
    small = min(len(a), len(b))
    copy = small >= MIN_SHINGLES and (jac >= JACCARD_MIN or cont >= CONTAINMENT_MIN)
    if small < MIN_SHINGLES:  # very short texts: only a (near) identical one is a copy
        copy = jac >= 0.9
    if copy and len(a & b) < STRONG_SHARED:
        copy = headlines_agree(head_a or set(), head_b or set())
    return copy, jac, cont


def find_copy(conn: Connection, key: str, text: str, bucket_ids: list[int], title: str | None = None
              ) -> Copy | None:
    """The canonical article this one copies, among stored articles sharing an LSH band."""
    hits = conn.execute(
        select(minhash_bands.c.article_key, func.count().label("n"))
        .where(minhash_bands.c.bucket.in_(bindparam("b", expanding=True)))
        .where(minhash_bands.c.article_key != key)
        .group_by(minhash_bands.c.article_key).order_by(func.count().desc()).limit(MAX_CANDIDATES),
        {"b": bucket_ids}).all()
    if not hits:
        return None
    mine = shingles(text)
    rows = conn.execute(select(articles.c.key, articles.c.text, articles.c.title, articles.c.duplicate_of)
                        .where(articles.c.key.in_([h.article_key for h in hits]))).all()
    best: Copy | None = None
    head = headline_terms(title)
    for row in rows:
        copy, jac, cont = is_copy(mine, shingles(row.text), head, headline_terms(row.title))
        if copy and (best is None or jac > best.jaccard):
            best = Copy(row.duplicate_of or row.key, jac, cont)
    return best


def index_article(conn: Connection, key: str, bucket_ids: list[int]) -> None:
    conn.execute(minhash_bands.delete().where(minhash_bands.c.article_key == key))  # re-runs stay exact
    conn.execute(insert(minhash_bands), [{"bucket": b, "article_key": key} for b in bucket_ids])


def source_key(credits: list[str] | None, outlet: str | None, url: str | None) -> str | None:
    """Who independently reported it: a credited agency, else the outlet, else the URL's host.

    Two articles with the same key are one source: a Reuters story run by three
    papers is one report, not three.
    """
    names = [c for c in credits or [] if c]
    agencies = [n for n in names if _actor_flag(n, "agency")]
    for name in agencies or names:
        return _canonical_outlet(name)
    if outlet:
        return _canonical_outlet(outlet)
    return url_host(url)


def _actor_flag(name: str, flag: str) -> bool:
    actor = dictionary().lookup(name)
    return bool(actor and actor.get(flag))


def _canonical_outlet(name: str) -> str:
    actor = dictionary().lookup(name)
    if actor is not None and actor.type == "OUTLET":
        return actor.name.lower()
    host = url_host(name) if "." in name and " " not in name.strip() else None
    return (host or name).strip().lower()


def link_copy(conn: Connection, key: str, article: Mapping) -> str | None:
    """Index one stored article, set its duplicate_of and source_key; return its canonical key."""
    sh = shingles(article["text"] or "")
    bucket_ids = buckets(signature(sh)) if sh else []
    copy = find_copy(conn, key, article["text"] or "", bucket_ids, article.get("title")) if bucket_ids else None
    if bucket_ids:
        index_article(conn, key, bucket_ids)
    # The agency the text is credited to makes copies one source; photo credits do not.
    wire = article.get("wire")
    skey = source_key([wire] if wire else None, article.get("outlet"), article.get("url"))
    conn.execute(articles.update().where(articles.c.key == key)
                 .values(duplicate_of=copy.canonical if copy else None, source_key=skey))
    return copy.canonical if copy else None
