"""Which articles of a batch a store holds already, asked before any NLP runs (issue 11).

`eventwire ingest` passes its store here (`Options.known_db`): an article whose URL key, text key or
content hash is stored is reported "unchanged" without being parsed, so a rerun or a resumed run
costs reading, cleaning and hashing. The keys are the store's own (`eventwire.store.article_key`,
`content_hash`), so this answers exactly what `Store.save` would.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine, create_engine, select
from sqlalchemy.exc import SQLAlchemyError

from eventwire.store import article_key, content_hash, db_url
from eventwire.store.schema import articles


@lru_cache(maxsize=4)
def _engine(db: str, pid: int) -> Engine:  # noqa: ARG001 - one engine per process: a forked worker opens its own
    return create_engine(db_url(db), future=True)


def stored(db: str, keys: Iterable[str], hashes: Iterable[str] = ()) -> set[str]:
    """The given keys and content hashes that the store at `db` holds (one query)."""
    keys, hashes = list(dict.fromkeys(keys)), list(dict.fromkeys(hashes))
    if not keys and not hashes:
        return set()
    if "://" not in db and not Path(db).is_file():
        return set()
    query = select(articles.c.key, articles.c.text_hash).where(
        articles.c.key.in_(keys) | articles.c.text_hash.in_(hashes))
    try:
        with _engine(db, os.getpid()).connect() as conn:
            rows = conn.execute(query).all()
    except SQLAlchemyError:  # no articles table yet: nothing is known
        return set()
    wanted = set(keys) | set(hashes)
    return {value for row in rows for value in row if value in wanted}


def url_key(url: str) -> str:
    return article_key(url, "")


def article_keys(url: str | None, title: str | None, text: str) -> tuple[str, str]:
    """(key, content hash) as `Store.save` computes them for a cleaned article."""
    return article_key(url, text), content_hash(title, text)
