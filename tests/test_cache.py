"""eventwire/cache.py: tables built once per change of their inputs, never a reason for a run to stop."""

from __future__ import annotations

from eventwire import cache


def test_built_once_then_loaded_and_rebuilt_when_an_input_changes(tmp_path, monkeypatch):
    monkeypatch.setenv("EVENTWIRE_CACHE", str(tmp_path / "cache"))
    source = tmp_path / "table.yaml"
    source.write_text("a: 1\n")
    calls = []

    def build():
        calls.append(1)
        return {"rows": [1, 2, 3], "text": source.read_text()}

    first = cache.memo("demo", [source], build)
    second = cache.memo("demo", [source], build)
    assert first == second and len(calls) == 1
    source.write_text("a: 2\n")
    third = cache.memo("demo", [source], build)
    assert third["text"] == "a: 2\n" and len(calls) == 2
    assert len(list((tmp_path / "cache").glob("demo-*.pickle"))) == 1  # the stale copy is gone


def test_a_corrupt_copy_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("EVENTWIRE_CACHE", str(tmp_path))
    source = tmp_path / "t.yaml"
    source.write_text("x")
    path = tmp_path / f"demo-{cache.digest([source])}.pickle"
    path.write_bytes(b"not a pickle")
    assert cache.memo("demo", [source], lambda: 42) == 42
    assert cache.memo("demo", [source], lambda: 0) == 42  # saved over the corrupt copy


def test_an_unwritable_cache_folder_still_gives_the_table(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("EVENTWIRE_CACHE", str(blocker / "below-a-file"))
    source = tmp_path / "t.yaml"
    source.write_text("x")
    assert cache.memo("demo", [source], lambda: [7]) == [7]


def test_event_patterns_loaded_from_the_cache_equal_a_fresh_build(tmp_path, monkeypatch):
    from eventwire.extract import events

    monkeypatch.setenv("EVENTWIRE_CACHE", str(tmp_path))
    events.patterns.cache_clear()
    try:
        assert events.patterns() == events._build_patterns()
        events.patterns.cache_clear()
        assert events.patterns() == events._build_patterns()  # now read from the cache
    finally:
        events.patterns.cache_clear()
