"""docs/columns.md describes exactly the columns the exports write, as datasette's docs tests check
that every setting and plugin hook is documented: a new column fails here until it is described."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from eventwire.export import TABLES, columns
from eventwire.export.acled import ACLED_NAMES
from eventwire.export.gdelt import GDELT_NAMES

DOC = Path(__file__).resolve().parents[1] / "docs" / "columns.md"
ROW = re.compile(r"^\|\s*(?:(\d+)\s*\|\s*)?`([^`]+)`\s*\|\s*([^|]*?)\s*\|(?:\s*(.*?)\s*\|)?\s*$")


def sections() -> dict[str, list[tuple[str | None, str, str, str | None]]]:
    """Each `## heading`'s table rows: (number, column, second cell, third cell)."""
    out: dict[str, list] = {}
    current = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            current = line[3:].strip().strip("`").split("`")[0].strip()
            out[current] = []
        elif current is not None:
            m = ROW.match(line)
            if m:
                out[current].append(m.groups())
    return out


def _type_name(arrow_type) -> str:
    import pyarrow as pa

    if pa.types.is_list(arrow_type):
        return "list of quantities" if pa.types.is_struct(arrow_type.value_type) else "list of text"
    if pa.types.is_boolean(arrow_type):
        return "boolean"
    if pa.types.is_integer(arrow_type):
        return "integer"
    if pa.types.is_floating(arrow_type):
        return "number"
    return "text"


@pytest.mark.parametrize("table", TABLES)
def test_every_exported_column_is_documented(table):
    documented = [row[1] for row in sections().get(table, [])]
    exported = [name for name, _ in columns(table)]
    assert not set(exported) - set(documented), f"undocumented {table} columns (docs/columns.md)"
    assert not set(documented) - set(exported), f"documented {table} columns no export writes"
    assert documented == exported, f"docs/columns.md lists {table}'s columns out of export order"


@pytest.mark.parametrize("table", TABLES)
def test_documented_types_are_the_exported_types(table):
    documented = {row[1]: row[2] for row in sections()[table]}
    for name, arrow_type in columns(table):
        assert documented[name] == _type_name(arrow_type), (table, name)


@pytest.mark.parametrize("table", TABLES)
def test_every_column_has_a_meaning(table):
    for _, name, _, meaning in sections()[table]:
        assert meaning and len(meaning) > 3, (table, name)


def test_gdelt_columns_are_documented_in_order():
    rows = sections()["--format gdelt"]
    assert [name for _, name, _, _ in rows] == GDELT_NAMES
    assert [int(n) for n, _, _, _ in rows] == list(range(1, 62))
    assert all(filled for _, _, filled, _ in rows)


def test_acled_columns_are_documented_in_order():
    rows = sections()["--format acled"]
    assert [name for _, name, _, _ in rows] == ACLED_NAMES
    assert all(filled for _, _, filled, _ in rows)


def test_the_check_catches_a_missing_column(tmp_path, monkeypatch):
    """The test above can fail: with one row removed from a copy of the page it does."""
    text = DOC.read_text(encoding="utf-8").replace("| `goldstein` | number |", "| `goldstein_gone` | number |")
    copy = tmp_path / "columns.md"
    copy.write_text(text, encoding="utf-8")
    monkeypatch.setitem(globals(), "DOC", copy)
    with pytest.raises(AssertionError):
        test_every_exported_column_is_documented("events")
