"""Golden files: the whole record for self-written articles, byte for byte.

Any change in what eventwire extracts shows up here as a diff to review. After
an intended change, regenerate with `UPDATE_GOLDEN=1 pytest tests/test_golden.py`
and read the diff before committing it.
"""

from __future__ import annotations

import json
import os

import pytest

from eventwire.pipeline import Options, run
from tests.conftest import FIXTURES, ROOT

GOLDEN = ROOT / "tests" / "golden"
ARTICLES = sorted(p.stem for p in (FIXTURES / "articles").glob("*.txt"))


@pytest.mark.parametrize("name", ARTICLES)
def test_record_matches_golden_file(name, nlp):
    published = json.loads((FIXTURES / "articles" / f"{name}.json").read_text())["published"]
    [result] = list(run([str(FIXTURES / "articles" / f"{name}.txt")], Options(published=published)))
    assert result.ok, result.error
    got = json.dumps(result.record.to_dict(), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    path = GOLDEN / f"{name}.json"
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(got, encoding="utf-8")
        pytest.skip(f"wrote {path.name}")
    assert path.exists(), f"no golden file {path}: run UPDATE_GOLDEN=1 pytest tests/test_golden.py"
    assert got == path.read_text(encoding="utf-8"), f"{name}: output differs from {path} (see module doc)"
