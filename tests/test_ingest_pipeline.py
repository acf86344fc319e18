"""The per-article guard: no input stops a batch, and nothing is lost without a line (issue 14)."""

from __future__ import annotations

import json
import math

import pytest

from eventwire.ingest import IngestFailure, IngestSkip, RawArticle
from eventwire.pipeline import Options, Result, dumps, finite, process_batch, time_budget

GOOD = "Kenyan police arrested twelve protesters outside parliament in Nairobi on Tuesday, officials said."


def raw(rid: str, text: str, **kw) -> RawArticle:
    return RawArticle(id=rid, origin=f"{rid}.txt", text=text, **kw)


def test_a_text_over_spacys_limit_is_parsed_in_pieces_with_offsets_kept(nlp):
    from eventwire import analyse

    paragraph = GOOD + " " + "The crowd had gathered since dawn to oppose the new tax bill. " * 3
    text = "\n\n".join([paragraph] * 12)
    old = analyse.MAX_PIECE_CHARS
    analyse.MAX_PIECE_CHARS = 1000  # the same path that a 1,000,000-character text takes, but fast
    try:
        results = process_batch([raw("long", text), raw("next", GOOD)], Options(clean=False))
    finally:
        analyse.MAX_PIECE_CHARS = old
    assert [r.ok for r in results] == [True, True]
    rec = results[0].record
    assert rec.article.text == text
    assert len([e for e in rec.events if e.type == "COERCE"]) >= 10  # events from every piece
    for ev in rec.events:
        assert text[ev.trigger.start:ev.trigger.end] == ev.trigger.text
        assert text[ev.evidence.start:ev.evidence.end] == ev.evidence.text


def test_pieces_join_back_to_the_text():
    from eventwire.analyse import split_pieces

    text = "para one.\n\npara two is longer. It has sentences.\n\n" + "x" * 50 + " tail words here"
    for limit in (5, 11, 20, 40, 1000):
        pieces = split_pieces(text, limit)
        assert "".join(pieces) == text and all(len(p) <= limit for p in pieces)


def test_lone_surrogate_is_repaired_with_a_warning_and_the_batch_goes_on(nlp):
    results = process_batch([raw("s", GOOD.replace("parliament", "parlia\ud800ment")), raw("g", GOOD)],
                            Options())
    assert [r.ok for r in results] == [True, True]
    assert "\ud800" not in results[0].record.article.text
    assert any("surrogate" in w for w in results[0].warnings)
    dumps(results[0].record.to_dict()).encode("utf-8")  # writable


def test_non_finite_numbers_become_null_with_a_reason():
    from eventwire.model import Quantity

    q = Quantity(value=float("inf"), unit=None, counts="troops", approx=False, text="1e309 troops")
    assert finite([q]) == 1
    assert q.value is None and "finite" in q.reason


def test_output_is_always_strict_json():
    text = dumps({"a": float("inf"), "b": [float("nan")], "c": "x\udc80y"})
    assert json.loads(text) == {"a": None, "b": [None], "c": "x\ufffdy"}
    with pytest.raises(ValueError):
        json.dumps(float("inf"), allow_nan=False)


def test_huge_number_in_text_gives_valid_json(nlp):
    text = "Officials said 1e309 troops and 10" + "0" * 400 + " soldiers were deployed to the northern border."
    [result] = process_batch([raw("n", text)], Options())
    assert result.ok
    out = dumps(result.record.to_dict())
    assert "Infinity" not in out and "NaN" not in out
    for q in (q for e in result.record.events for q in e.quantities):
        assert q.value is None or math.isfinite(q.value)


def test_a_record_over_its_time_budget_fails_alone():
    import time

    from eventwire.pipeline import RecordTimeout

    with pytest.raises(RecordTimeout), time_budget(0.05):
        time.sleep(1)
    with time_budget(0.5):  # the timer is cleared on the way out
        pass
    time.sleep(0.6)


def test_slow_record_is_failed_with_a_reason_and_the_next_one_kept(nlp, monkeypatch):
    import time

    import eventwire.pipeline as pipeline

    real = pipeline.extract

    def slow(doc, article, rid):
        if rid == "slow":
            time.sleep(5)
        return real(doc, article, rid)

    monkeypatch.setattr(pipeline, "extract", slow)
    results = process_batch([raw("slow", GOOD), raw("fast", GOOD.replace("twelve", "ten"))],
                            Options(budget_s=0.5))
    assert not results[0].ok and "time budget" in results[0].error
    assert results[1].ok


def test_an_exception_in_analysis_fails_that_record_only(nlp, monkeypatch):
    import eventwire.pipeline as pipeline

    real = pipeline.analyse_one

    def broken(text):
        if "BOOM" in text:
            raise ValueError("[E088] Text of length 1000001 exceeds maximum")
        return real(text)

    def no_batch(texts, batch_size=32):
        raise ValueError("one of the batch is bad")

    monkeypatch.setattr(pipeline, "analyse_one", broken)
    monkeypatch.setattr(pipeline, "analyse", no_batch)
    results = process_batch([raw("a", GOOD), raw("b", GOOD + " BOOM and more."), raw("c", GOOD)], Options())
    assert [r.status for r in results] == ["record", "error", "record"]
    assert "E088" in results[1].error


def test_other_languages_are_kept_and_never_coded_with_english_rules(nlp):
    texts = {
        "fr": "Les forces armées ont bombardé plusieurs villages au nord du pays mardi, selon les autorités.",
        "es": "La policía detuvo a doce manifestantes frente al parlamento el martes, según fuentes oficiales.",
        "de": "Die Polizei hat am Dienstag zwölf Demonstranten vor dem Parlament festgenommen, hieß es.",
    }
    results = process_batch([raw(k, v, url=f"https://example.org/{k}") for k, v in texts.items()], Options())
    for (code, text), result in zip(texts.items(), results, strict=True):
        art = result.record.article
        assert art.language == code and art.coded is False and "English" in art.coded_reason
        assert result.record.events == [] and art.text == text and art.url.endswith(code)


def test_english_list_page_is_not_called_another_language():
    from eventwire.clean import language_code

    page = ("Top stories\n\nKenya: police arrest protesters in Nairobi\n\nSudan: talks resume in Jeddah\n\n"
            "Ukraine: drones hit Odesa port\n\nMarkets: oil prices fall\n\nWeather: storms in the north")
    assert language_code(page) in ("en", None)


@pytest.mark.parametrize(("text", "code"), [
    ("Xunta de Galicia anunciou onte novas axudas para os concellos afectados polos incendios forestais.", "gl"),
    ("Полиция задержала двенадцать протестующих у здания парламента во вторник.", "ru"),
    ("Polisi iliwakamata waandamanaji kumi na wawili nje ya bunge jijini Nairobi siku ya Jumanne.", "sw"),
])
def test_languages_are_reported_as_iso_639_1_codes(text, code):
    from eventwire.clean import language_code

    assert language_code(text) == code


def test_every_unit_ends_as_one_record_error_or_skip(nlp):
    items = [raw("a", GOOD), IngestFailure("b.txt", "empty file"), IngestSkip("c.warc#1", "request record"),
             raw("d", "too short")]
    results = process_batch(items, Options())
    assert [(r.origin, r.status) for r in results] == [("a.txt", "record"), ("b.txt", "error"),
                                                       ("c.warc#1", "skipped"), ("d.txt", "error")]
    assert all(isinstance(r, Result) for r in results)


@pytest.mark.parametrize("text", [
    "Had Kenya not sent troops to the border, the militia would have crossed into Somalia.",
    "If the police had not fired tear gas at the protesters, the crowd would have stormed parliament.",
    "Had Turkish jets not bombed the bridge near Mosul, the convoy would have reached the city.",
])
def test_counterfactual_condition_is_not_negation(extract_text, text):
    events = extract_text(text, "2025-01-01").events
    assert events and not any(e.negated for e in events)


def test_plain_negation_stays_negated(extract_text):
    events = extract_text("Kenya did not send troops to the border on Monday, officials said.", "2025-01-01").events
    assert events and all(e.negated for e in events)
