"""Shared fixtures: one spaCy model per test session, and the optional ../shared tree."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture(scope="session")
def nlp():
    from eventwire.analyse import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def shared() -> Path:
    """The dev sets and the reference article; absent in a fresh clone, so tests skip."""
    if not SHARED.is_dir():
        pytest.skip("../shared is not present (fresh clone)")
    return SHARED


@pytest.fixture(scope="session")
def extract_text(nlp):
    """Run the whole pipeline (clean off) on one text: text, published -> Record."""
    from eventwire.extract import extract
    from eventwire.model import Article

    def run(text: str, published: str | None = None, title: str | None = None):
        return extract(nlp(text), Article(text=text, published=published, title=title), "t")

    return run
