"""main_event (5W1H) on self-written lead paragraphs, and the 5W1H scorer."""

from __future__ import annotations

import json

import pytest

from eventwire.dictionary import dictionary
from eventwire.eval.w5h1 import judge, overlap_f1
from eventwire.extract import Context, parse_date
from eventwire.extract.main_event import extract_main_event
from eventwire.model import Article, Record


@pytest.fixture(scope="module")
def five(nlp):
    """(text, title, published) -> MainEvent, with only this extractor run (no times or events)."""

    def go(text: str, title: str | None = None, published: str | None = "2025-06-18"):
        article = Article(text=text, title=title, published=published)
        ctx = Context(doc=nlp(text), record=Record(id="t", article=article), published=parse_date(published),
                      dictionary=dictionary())
        extract_main_event(ctx)
        for name in ("who", "what", "when", "where", "why", "how"):
            span = getattr(ctx.record.main_event, name)
            if span is not None:
                assert text[span.start: span.end] == span.text, name
        return ctx.record.main_event

    return go


def text_of(span):
    return span.text if span is not None else None


LEADS = [
    # text, title, expected who, what (a prefix), when, where
    ("Two Chinese transport planes landed at Phnom Penh's main airport on Tuesday, reportedly carrying "
     "dozens of soldiers. The government has not commented.",
     "Chinese military planes land in Phnom Penh", "Two Chinese transport planes", "landed at", "Tuesday",
     "at Phnom Penh's main airport"),
    ("Police fired water cannon at protesters in Nairobi on Monday after a rally against new taxes turned "
     "violent. Dozens were arrested.",
     "Kenyan police fire water cannon at Nairobi protesters", "Police", "fired water cannon", "Monday",
     "in Nairobi"),
    ("Farmers blocked the main highway into Warsaw on Friday to protest against grain imports. Traffic "
     "backed up for miles.",
     "Polish farmers block Warsaw highway", "Farmers", "blocked the main highway", "Friday", None),
]


@pytest.mark.parametrize("text,title,who,what,when,where", LEADS)
def test_lead_sentence_answers(five, text, title, who, what, when, where):
    event = five(text, title)
    assert text_of(event.who) == who
    assert text_of(event.what).startswith(what)
    assert text_of(event.when) == when
    if where is not None:
        assert text_of(event.where) == where


def test_why_and_how(five):
    event = five("Police dispersed the crowd with tear gas in Lima on Sunday after protesters stormed the "
                 "congress building.", "Police disperse Lima crowd with tear gas after congress stormed")
    assert text_of(event.how) == "with tear gas"
    assert text_of(event.why).startswith("after protesters stormed")


def test_headline_picks_the_sentence(five):
    text = ("The weather was mild across the region this week. Rebels seized the town of Kalemba on Thursday, "
            "residents said.")
    event = five(text, "Rebels seize Kalemba")
    assert text_of(event.who) == "Rebels"
    assert text_of(event.what).startswith("seized the town")


def test_abstains_when_the_headline_disagrees(five):
    # The subject is not what the headline is about: no "who" beats a wrong one.
    event = five("The death toll rose to twelve on Friday.", "Floods hit coastal villages")
    assert event.who is None


def test_old_dates_are_not_the_news(five):
    event = five("The ministry opened the new bridge in 1994, officials recalled.", None, "2025-06-18")
    assert event.when is None


def test_empty_text_gives_empty_event(five):
    event = five("", "Nothing here")
    assert all(getattr(event, q) is None for q in ("who", "what", "when", "where", "why", "how"))


@pytest.mark.parametrize("answer,gold,expected", [
    ("Two Russian planes", "Russian planes", True),
    ("in Croydon", "Croydon", True),
    ("the meeting", "Donald Trump", False),
])
def test_overlap_rule(answer, gold, expected):
    assert (overlap_f1(answer, gold) >= 0.5) is expected


def test_judge_counts_no_answer_golds_as_wrong():
    assert judge("Paris", [{"text": None, "coders": 2}]) == (True, False, False)
    assert judge(None, [{"text": "Paris", "coders": 2}]) == (False, False, True)
    assert judge("Paris", []) == (False, False, False)


def test_evaluate_on_a_written_file(tmp_path, nlp):
    from eventwire.eval.w5h1 import evaluate

    row = {"id": "x", "title": "Farmers block Warsaw highway", "published": "2025-06-18",
           "text": "Farmers blocked the main highway into Warsaw on Friday to protest against grain imports.",
           "gold": {"who": [{"text": "Farmers"}], "what": [{"text": "blocked the main highway"}],
                    "when": [{"text": "Friday"}], "where": [{"text": "Warsaw"}], "why": [], "how": []}}
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    report = evaluate(path, show=False)
    assert report["who"]["precision"] == 1.0
    assert report["when"]["right"] == 1


def test_photo_caption_is_not_the_lead(five):
    text = ("A warship was pictured off the coast of Beirut on Monday (AFP). Three Iranian warships docked in "
            "Beirut on Sunday, the port authority said.")
    event = five(text, "Iranian warships dock in Beirut")
    assert text_of(event.who) == "Three Iranian warships"
    assert text_of(event.where) == "in Beirut"
