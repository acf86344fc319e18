"""Near-duplicates and stories over a batch's output, the same whatever order the inputs came in.

The articles table already holds each article's MinHash signature, term weights and event
signature (computed by the workers). This step:

1. keeps one row per stored article, as the store would: in the canonical order (publication
   date, then key) an article whose key or content hash was seen before is the same article
   (`same_as`), not a copy;
2. finds near-duplicates with datasketch's MinHash LSH, banded as the store bands them (42 bands
   of 3 rows), each candidate checked exactly on its shingles (`eventwire.stories.dedup.is_copy`);
   articles are taken in the canonical order, so a copy's original is the earliest article of its
   group, whatever order the shards were read in;
3. clusters stories with the stories stage's own pure function (`cluster_articles`), which sorts
   its input canonically.

It writes DIR/stories/part-00000.parquet: one row per article key with duplicate_of, same_as,
source_key, story_id and thread_id.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pyarrow as pa

from eventwire.batch.output import Output

STORIES_FILE = "stories/part-00000.parquet"
STORIES_SCHEMA = pa.schema([("key", pa.string()), ("article_id", pa.string()), ("published", pa.string()),
                            ("duplicate_of", pa.string()), ("same_as", pa.string()),
                            ("source_key", pa.string()), ("story_id", pa.string()), ("thread_id", pa.string())])
COLUMNS = ["key", "article_id", "title", "outlet", "url", "published", "wire", "credits", "text", "text_hash",
           "minhash", "story_terms", "story_signature"]


def _order(row: Mapping) -> tuple:
    return (row["published"] is None, row["published"] or "", row["key"], row["article_id"])


def _distinct(rows: Iterable[Mapping]) -> tuple[list[Mapping], dict[str, str]]:
    """The rows the store would keep (first by key or content hash, in canonical order), and
    key -> the kept key for the others."""
    kept: list[Mapping] = []
    seen_key: set[str] = set()
    by_hash: dict[str, str] = {}
    same_as: dict[str, str] = {}
    for row in sorted(rows, key=_order):
        if row["key"] in seen_key:
            continue  # the same article (same URL) read twice: one row
        if row["text_hash"] in by_hash:
            same_as[row["key"]] = by_hash[row["text_hash"]]
            seen_key.add(row["key"])
            continue
        seen_key.add(row["key"])
        by_hash[row["text_hash"]] = row["key"]
        kept.append(row)
    return kept, same_as


def near_duplicates(rows: list[Mapping]) -> dict[str, str]:
    """key -> the key of the original it copies, for rows already in canonical order."""
    from datasketch import MinHash, MinHashLSH

    from eventwire.stories.dedup import NUM_BANDS, NUM_PERM, ROWS_PER_BAND, SEED, headline_terms, is_copy
    from eventwire.stories.text import shingles

    lsh = MinHashLSH(num_perm=NUM_PERM, params=(NUM_BANDS, ROWS_PER_BAND))
    by_key = {row["key"]: row for row in rows}
    cache: dict[str, set[str]] = {}

    def shingled(key: str) -> set[str]:
        if key not in cache:
            cache[key] = shingles(by_key[key]["text"] or "")
        return cache[key]

    # datasketch 2 asks for the hashing scheme of stored values: the one the workers' MinHash used.
    scheme = getattr(MinHash(num_perm=NUM_PERM, seed=SEED), "scheme", None)
    more = {"scheme": scheme} if scheme else {}
    original: dict[str, str] = {}
    for row in rows:
        if row["minhash"] is None:
            continue
        mh = MinHash(num_perm=NUM_PERM, seed=SEED, hashvalues=np.array(row["minhash"], dtype=np.uint64), **more)
        best: tuple[float, str] | None = None
        head = headline_terms(row["title"])
        for cand in sorted(lsh.query(mh)):
            copy, jac, _ = is_copy(shingled(row["key"]), shingled(cand), head, headline_terms(by_key[cand]["title"]))
            if copy and (best is None or (-jac, cand) < best):
                best = (-jac, cand)
        if best is not None:
            original[row["key"]] = original.get(best[1], best[1])
        lsh.insert(row["key"], mh)
    return original


def stories_of(rows: Iterable[Mapping]) -> list[dict[str, Any]]:
    """The stories rows for a set of article rows; the same for the same set in any order."""
    from eventwire.stories.cluster import Item, cluster_articles
    from eventwire.stories.dedup import source_key

    kept, same_as = _distinct(rows)
    original = near_duplicates(kept)
    items = [Item(r["key"], r["published"], json.loads(r["story_terms"] or "{}"),
                  json.loads(r["story_signature"] or "{}"), original.get(r["key"]), r["title"]) for r in kept]
    story_of, thread_of = cluster_articles(items)
    out = []
    for r in kept:
        sid = story_of[r["key"]]
        skey = source_key([r["wire"]] if r["wire"] else None, r["outlet"], r["url"])
        out.append({"key": r["key"], "article_id": r["article_id"], "published": r["published"],
                    "duplicate_of": original.get(r["key"]), "same_as": None, "source_key": skey,
                    "story_id": sid, "thread_id": thread_of[sid]})
    by_key = {row["key"]: row for row in out}
    for key, kept_key in same_as.items():
        twin = by_key[kept_key]
        out.append({**twin, "key": key, "same_as": kept_key, "duplicate_of": None})
    return sorted(out, key=lambda row: row["key"])


def batch_stories(out_dir: str) -> dict[str, int]:
    """Compute and write the stories of a batch output; returns counts."""
    output = Output(out_dir)
    rows = output.read_table("articles", columns=COLUMNS).to_pylist()
    result = stories_of(rows)
    output.write_table(STORIES_FILE, pa.Table.from_pylist(result, schema=STORIES_SCHEMA))
    return {"articles": len(result), "copies": sum(1 for r in result if r["duplicate_of"]),
            "same": sum(1 for r in result if r["same_as"]), "stories": len({r["story_id"] for r in result})}


def read_stories(out_dir: str) -> pa.Table:
    import io

    import pyarrow.parquet as pq

    output = Output(out_dir)
    return pq.read_table(io.BytesIO(output.read(STORIES_FILE)))
