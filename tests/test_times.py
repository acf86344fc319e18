"""Time expressions: TIMEX3 type and value against the publication date (own sentences)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from eventwire.extract.times import find_dateline, find_times
from eventwire.model import Article

MONDAY = "2019-03-25"  # a Monday


def _times(nlp, text: str, published: str | None = MONDAY):
    from eventwire.extract import extract

    return extract(nlp(text), Article(text=text, published=published), "t", only=("entities", "times")).times


def _value_of(nlp, text: str, phrase: str, published: str | None = MONDAY):
    found = [t for t in _times(nlp, text, published) if phrase in t.text or t.text in phrase]
    assert found, f"no time expression for {phrase!r} in {[t.text for t in _times(nlp, text, published)]}"
    return found[0]


@pytest.mark.parametrize(
    ("text", "phrase", "type_", "value"),
    [
        ("The ferry sank off the coast on Saturday, officials said.", "Saturday", "DATE", "2019-03-23"),
        ("The minister resigned on Monday after the vote.", "Monday", "DATE", "2019-03-25"),
        ("The committee will meet again on Thursday.", "Thursday", "DATE", "2019-03-28"),
        ("Last December the navy held drills off the island.", "Last December", "DATE", "2018-12"),
        ("In December, the government sent two ships to the port.", "December", "DATE", "2018-12"),
        ("The talks will resume in June.", "June", "DATE", "2019-06"),
        ("Prices fell by a fifth in February.", "February", "DATE", "2019-02"),
        ("The bridge reopened three months after the flood.", "three months", "DURATION", "P3M"),
        ("In recent months the militia has grown bolder.", "recent months", "DATE", "PAST_REF"),
        ("The port was recently expanded.", "recently", "DATE", "PAST_REF"),
        ("The border is now closed.", "now", "DATE", "PRESENT_REF"),
        ("Rebels seized the town yesterday.", "yesterday", "DATE", "2019-03-24"),
        ("Shops are shut today.", "today", "DATE", "2019-03-25"),
        ("The strike began last week.", "last week", "DATE", "2019-W12"),
        ("The envoy arrives this week.", "this week", "DATE", "2019-W13"),
        ("Exports rose last year.", "last year", "DATE", "2018"),
        ("The dam was finished on March 3, 2011.", "March 3, 2011", "DATE", "2011-03-03"),
        ("Voting ends on 14 April 2021 at noon.", "14 April 2021", "DATE", "2021-04-14"),
        ("The file was dated 2017-06-30 by the clerk.", "2017-06-30", "DATE", "2017-06-30"),
        ("The mine closed in 1998 and never reopened.", "1998", "DATE", "1998"),
        ("The treaty dates from the 1970s.", "1970s", "DATE", "197"),
        ("Two years ago the mill burned down.", "Two years ago", "DATE", "2017"),
        ("The siege lasted eight weeks.", "eight weeks", "DURATION", "P8W"),
        ("A four-day truce took hold.", "four-day", "DURATION", "P4D"),
        ("The cabinet meets every Tuesday.", "every Tuesday", "SET", "XXXX-WXX-2"),
        ("The match was moved to 19:30 GMT Friday.", "19:30", "TIME", "2019-03-22T19:30"),
        ("Heavy rain fell this morning.", "this morning", "TIME", "2019-03-25TMO"),
        ("Drills took place last summer.", "last summer", "DATE", "2018-SU"),
        ("Growth slowed in the first quarter of 2018.", "first quarter", "DATE", "2018-Q1"),
        ("The law dates from the 19th century.", "19th century", "DATE", "18"),
        ("Fighting eased over the weekend.", "the weekend", "DATE", "2019-W12-WE"),
        ("Talks will resume at the weekend.", "the weekend", "DATE", "2019-W13-WE"),
        ("Profits rose in the third quarter.", "third quarter", "DATE", "2018-Q3"),
        ("Profits will rise in the third quarter.", "third quarter", "DATE", "2019-Q3"),
    ],
)
def test_value(nlp, text, phrase, type_, value):
    t = _value_of(nlp, text, phrase)
    assert (t.type, t.value) == (type_, value)


def test_weekday_before_publication_matches_brief(nlp):
    t = _value_of(nlp, "Two planes landed near the capital on Saturday.", "Saturday")
    assert t.value == "2019-03-23" and t.precision == "day" and t.anchor == MONDAY


def test_spacy_overlong_span_is_cut(nlp):
    # spaCy tags "Last December two" as one DATE; the count is not part of the time.
    t = _value_of(nlp, "Last December two bombers flew to the coast.", "December")
    assert t.text == "Last December"


@pytest.mark.parametrize("text", ["The ship sailed on Saturday.", "In December, X sent troops.", "It ended last week."])
def test_no_anchor_leaves_relative_dates_unresolved(nlp, text):
    times = _times(nlp, text, published=None)
    assert times and all(t.value is None and t.reason == "no anchor" for t in times)


def test_absolute_date_resolves_without_anchor(nlp):
    t = _value_of(nlp, "The deal was signed on 2 May 2016.", "2 May 2016", published=None)
    assert t.value == "2016-05-02"


@pytest.mark.parametrize("text", ["The letter was dated February 30, 2019.", "It happened on 31 April 2020."])
def test_impossible_date_is_null_with_reason(nlp, text):
    t = _times(nlp, text)[0]
    assert t.value is None and t.reason == "impossible date"


@pytest.mark.parametrize("text", ["The talks will resume on March 3, 2391, the ministry said.",
                                  "The probe lands on 4 June 2391."])
def test_out_of_range_year_is_null_not_dropped(nlp, text):
    # dropping the year would resolve "March 3" against the anchor: an invented date
    [t] = _times(nlp, text)
    assert "2391" in t.text and t.value is None and t.reason == "year out of range"


@pytest.mark.parametrize(("text", "value"), [("The capsule opens in 2150.", "2150"), ("Built in 1066.", "1066")])
def test_far_dates_keep_their_value(nlp, text, value):
    assert _times(nlp, text)[0].value == value


@pytest.mark.parametrize("text", ["Theresa May spoke.", "Thousands march in the capital.", "He sold 2010 shares."])
def test_names_and_counts_are_not_times(nlp, text):
    assert _times(nlp, text) == []


def test_dateline_gives_anchor_when_publication_date_unknown(nlp):
    text = "KYIV, March 3, 2022 (Reuters) - Shelling hit the city on Tuesday."
    assert find_dateline(text)["place"] == "KYIV"
    t = _value_of(nlp, text, "Tuesday", published=None)
    assert t.value == "2022-03-01"


def test_find_times_without_doc_never_crashes():
    odd = "On the 99th of Smarch, 31/02, 0:99, twenty-thirteen-ish, 9999-99-99 and 2019-13-45."
    assert isinstance(find_times(odd, date(2019, 3, 25)), list)


def test_event_date_prefers_own_clause(nlp):
    from eventwire.extract import extract
    from eventwire.extract.times import event_date

    text = "On Monday officials said the convoy had crossed the border on Saturday."
    doc = nlp(text)
    rec = extract(doc, Article(text=text, published=MONDAY), "t", only=("entities", "times"))
    from eventwire.dictionary import dictionary
    from eventwire.extract import Context

    ctx = Context(doc, rec, date(2019, 3, 25), dictionary())
    sent = next(doc.sents)
    crossed = next(t for t in doc if t.text == "crossed")
    said = next(t for t in doc if t.text == "said")
    assert event_date(ctx, crossed, sent).value == "2019-03-23"
    assert event_date(ctx, crossed, sent).source == "clause"
    assert event_date(ctx, said, sent).value == "2019-03-25"


def test_timex_eval_on_dev_set(shared, capsys):
    from eventwire.eval.timex import evaluate

    path = shared / "eval" / "timex" / "dev.jsonl"
    if not path.exists():
        pytest.skip("timex dev set absent")
    result = evaluate(path)
    assert result["value"]["f1"] >= 0.8, json.dumps(result)


def test_present_after_phrase_also_gives_the_implied_date(nlp):
    times = _times(nlp, "The visit comes four months after the two armies held joint drills.")
    assert {(t.type, t.value) for t in times} == {("DURATION", "P4M"), ("DATE", "2018-11")}


def test_past_after_phrase_stays_a_duration(nlp):
    times = _times(nlp, "The bridge reopened three months after the flood.")
    assert [(t.type, t.value) for t in times] == [("DURATION", "P3M")]


def test_relative_clause_time_does_not_date_the_event(nlp):
    from eventwire.extract import extract

    text = "Brazil condemned foreign powers for backing rebel leader Ivan Rios, who declared a new offensive in January."
    rec = extract(nlp(text), Article(text=text, published="2024-05-10"), "t")
    [ev] = [e for e in rec.events if e.trigger.text == "condemned"]
    assert ev.date is None or ev.date.text != "January"


@pytest.mark.parametrize("text", ["KYIV, Oct 18 - Drones hit a power plant.", "KYIV, Oct. 18 (Reuters) - Drones hit a plant."])
def test_dateline_with_or_without_abbreviation_dot(text):
    found = find_dateline(text)
    assert found is not None and found["place"] == "KYIV" and text[found["start"]:found["end"]].startswith("Oct")


def test_dateline_found_below_a_headline():
    found = find_dateline("Drones hit power plant\n\nKYIV, Oct 18 (Reuters) - Drones hit a power plant.")
    assert found is not None and found["place"] == "KYIV" and found["start"] == 30


def _event_date_of(nlp, text: str, trigger: str, published: str = MONDAY):
    from eventwire.dictionary import dictionary
    from eventwire.extract import Context, extract, parse_date
    from eventwire.extract.times import event_date

    doc = nlp(text)
    rec = extract(doc, Article(text=text, published=published), "t", only=("entities", "times"))
    ctx = Context(doc, rec, parse_date(published), dictionary())
    tok = next(t for t in doc if t.text == trigger)
    return event_date(ctx, tok, tok.sent)


@pytest.mark.parametrize(
    ("text", "trigger", "value", "source"),
    [
        # the date a paragraph sets carries to its later past-tense sentences
        ("On 10 January 2019, gunmen attacked a bus. Police arrested two suspects.", "arrested", "2019-01-10",
         "discourse"),
        ("Rebels shelled the town on Friday. Three houses burned.", "burned", "2019-03-22", "discourse"),
        ("Late on Monday, protesters blocked the road.", "blocked", "2019-03-25", "clause"),
    ],
)
def test_event_date_from_clause_or_paragraph(nlp, text, trigger, value, source):
    got = _event_date_of(nlp, text, trigger)
    assert got is not None and (got.value, got.source) == (value, source)


@pytest.mark.parametrize(
    ("text", "trigger"),
    [
        ("On 10 January 2019, gunmen attacked a bus. The group had clashed with police before.", "clashed"),
        ("On 10 January 2019, gunmen attacked a bus. Police will question the driver.", "question"),
        ("On 10 January 2019, gunmen attacked a bus.\nPolice arrested two suspects.", "arrested"),  # new paragraph
        ("Troops crossed the river on 30 March 2019.", "crossed"),  # a past event after its publication
    ],
)
def test_undated_rather_than_wrongly_dated(nlp, text, trigger):
    assert _event_date_of(nlp, text, trigger) is None


def test_a_decade_after_a_possessive_is_an_age(nlp):
    assert not [t for t in _times(nlp, "A woman in her 50s was injured.") if t.value and t.value.startswith("19")]


@pytest.mark.parametrize(
    ("text", "trigger", "value", "timex"),
    [
        # an event's date is the day; the part of day or the clock time stays beside it in `timex`
        ("Gunmen raided a farm on Saturday night.", "raided", "2019-03-23", "2019-03-23TNI"),
        ("Rebels shelled the market on Thursday evening, residents said.", "shelled", "2019-03-21",
         "2019-03-21TEV"),
        ("On Sunday morning, soldiers detained a local reporter.", "detained", "2019-03-24", "2019-03-24TMO"),
        ("Police fired tear gas at marchers at 3 pm on Friday.", "fired", "2019-03-22", None),
    ],
)
def test_event_date_is_the_calendar_day(nlp, text, trigger, value, timex):
    got = _event_date_of(nlp, text, trigger)
    assert got is not None and got.value == value and got.precision == "day"
    if timex is not None:
        assert got.timex == timex


def test_event_date_keeps_day_and_coarser_values_as_they_are():
    from eventwire.extract.times import calendar_date

    assert calendar_date("2019-03", "in March", "month", "clause").value == "2019-03"
    assert calendar_date("2019-03-22", "on Friday", "day", "clause").timex is None
    got = calendar_date("2019-03-22T15:00", "at 3 pm on Friday", "minute", "clause")
    assert (got.value, got.precision, got.timex) == ("2019-03-22", "day", "2019-03-22T15:00")


@pytest.mark.parametrize(("text", "value"), [
    # a period that begins after publication dates the plan, never the past act that made it
    ("The ministers agreed to open the new border crossing by the summer.", None),
    ("Mali's military rulers promised to hold elections in the third quarter.", None),
    ("The regional government pledged to rebuild the damaged bridges next year.", None),
    # a past period stays
    ("Farmers marched through the capital last summer to demand higher prices.", "2024-SU"),
])
def test_a_past_event_is_not_dated_at_a_later_period(nlp, text, value):
    from eventwire.extract import extract

    doc = nlp(text)
    events = extract(doc, Article(text=text, published="2025-02-26"), "t").events
    assert events, text
    assert {e.date.value if e.date else None for e in events} == {value}


@pytest.mark.parametrize(("value", "first"), [
    ("2025", date(2025, 1, 1)), ("2025-06", date(2025, 6, 1)), ("2025-SU", date(2025, 6, 1)),
    ("2025-Q3", date(2025, 7, 1)), ("2025-W20", date(2025, 5, 12)), ("2024-06-09TNI", date(2024, 6, 9)),
    ("PAST_REF", None), ("2025-02-30", None),
])
def test_first_day_of_a_timex_value(value, first):
    from eventwire.extract.times import first_day

    assert first_day(value) == first


# --- wave 3: event dates of conflict and protest reports (own sentences) -------------------------

@pytest.mark.parametrize(
    ("text", "trigger", "value"),
    [
        # a purpose or participle clause takes the day of the clause it serves, not a vaguer time of its own
        ("Nurses gathered outside the hospital on Tuesday to demand a say in the future of the clinic.", "demand",
         "2019-03-19"),
        ("Farmers blocked a highway on Friday to protest the arrest of their leader on 2 March.", "protest",
         "2019-03-22"),
        ("Students marched to parliament on Thursday, denouncing a law passed in recent years.", "denouncing",
         "2019-03-21"),
    ],
)
def test_purpose_clause_takes_its_governing_day(nlp, text, trigger, value):
    got = _event_date_of(nlp, text, trigger)
    assert got is not None and got.value == value, got


@pytest.mark.parametrize(
    ("text", "trigger", "value"),
    [
        # a subjectless participle is told in the tense of the verb it goes with
        ("On 10 January 2019, gunmen attacked a bus. Police responded, killing one of the attackers.", "killing",
         "2019-01-10"),
        ("On 4 March 2019, rebels raided a village. Troops pursued them, wounding two.", "wounding", "2019-03-04"),
        ("On 8 February 2019, a mob attacked a police post. Officers fired back, injuring three.", "injuring",
         "2019-02-08"),
    ],
)
def test_participle_goes_on_at_the_paragraph_date(nlp, text, trigger, value):
    got = _event_date_of(nlp, text, trigger)
    assert got is not None and got.value == value, got


@pytest.mark.parametrize(
    ("text", "trigger", "phrase", "later"),
    [
        # the day inside what is called for is the called-for event's, after the call
        ("The union called for a strike on Thursday over unpaid wages.", "called", "Thursday", "2019-03-28"),
        ("Opposition leaders urged supporters to march on Saturday against the new law.", "urged", "Saturday",
         "2019-03-30"),
        ("Activists called on residents to rally on Wednesday outside the court.", "called", "Wednesday",
         "2019-03-27"),
    ],
)
def test_a_call_for_a_later_day_is_not_dated_in_the_past(nlp, text, trigger, phrase, later):
    assert _value_of(nlp, text, phrase).value == later
    got = _event_date_of(nlp, text, trigger)
    assert got is None or got.value != later and got.value <= MONDAY


@pytest.mark.parametrize(
    ("text", "trigger", "value"),
    [
        # the second of two coordinated purposes serves the same act
        ("Workers gathered outside the mill on Friday to denounce layoffs and express anger at the owners.",
         "express", "2019-03-22"),
        ("On Thursday, parents marched to the school to condemn the closure and demand new teachers.", "demand",
         "2019-03-21"),
        ("Farmers rallied in the square on Saturday to reject the tax and call for subsidies.", "call",
         "2019-03-23"),
    ],
)
def test_coordinated_purposes_share_the_day(nlp, text, trigger, value):
    got = _event_date_of(nlp, text, trigger)
    assert got is not None and got.value == value, got


@pytest.mark.parametrize(
    ("text", "trigger", "value"),
    [
        # a subjectless participle fragment goes on with the paragraph it follows
        ("On 2 March 2019, nurses blocked the main road. Demanding unpaid wages.", "Demanding", "2019-03-02"),
        ("On 5 March 2019, traders closed their shops. Protesting against the new levy.", "Protesting",
         "2019-03-05"),
        ("On 7 March 2019, students occupied the rector's office. Calling for his resignation.", "Calling",
         "2019-03-07"),
    ],
)
def test_participle_fragment_goes_on_at_the_paragraph_date(nlp, text, trigger, value):
    got = _event_date_of(nlp, text, trigger)
    assert got is not None and got.value == value, got


@pytest.mark.parametrize(
    ("text", "phrase", "published"),
    [
        ("Troops raided the camps on 13 June.", "13 June", "2024-06-11"),
        ("Militias attacked farms near the river on 6 October, a monitor reported.", "6 October", "2023-10-04"),
        ("Police detained dozens of students on 20 February.", "20 February", "2022-02-17"),
    ],
)
def test_past_day_just_after_publication_is_unresolved(nlp, text, phrase, published):
    """A past day a few days after the publication date is a range's end or a misdated report; resolving it a
    year back ("between 9 and 13 June" read as last June) dates the event a year off."""
    t = _value_of(nlp, text, phrase, published=published)
    assert t.value is None and t.reason == "a past day just after the publication date"


@pytest.mark.parametrize(
    ("text", "phrase", "published", "value"),
    [
        ("Rebels seized the town on 28 December.", "28 December", "2024-01-03", "2023-12-28"),
        ("The strike began on 15 August.", "15 August", "2024-03-01", "2023-08-15"),
        ("The talks will resume on 14 June.", "14 June", "2024-06-11", "2024-06-14"),
    ],
)
def test_unyeared_days_further_ahead_or_future_keep_their_year_rule(nlp, text, phrase, published, value):
    assert _value_of(nlp, text, phrase, published=published).value == value


def test_paragraph_date_skips_an_unresolved_range_end(nlp):
    text = ("Around 12 June 2024 (between 9 - 13 June), troops raided camps in the forest. "
            "Soldiers burned two workshops.")
    got = _event_date_of(nlp, text, "burned", published="2024-06-12")
    assert got is not None and got.value == "2024-06-12"


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Aid convoys were stopped between 3 and 8 May at the crossing.", "8 May"),
        ("From 11 to 14 July, the army shelled the valley.", "14 July"),
        ("Fighting raged on 21 \u2013 23 September near the dam.", "23 September"),
    ],
)
def test_end_of_a_range_of_days_is_unresolved(nlp, text, phrase):
    t = _value_of(nlp, text, phrase, published="2024-10-01")
    assert t.value is None and t.reason == "the end of a range of days"


def test_a_lone_day_and_a_list_of_days_still_resolve(nlp):
    assert _value_of(nlp, "Troops withdrew on 8 May.", "8 May", published="2024-10-01").value == "2024-05-08"
    assert _value_of(nlp, "Talks were held on 3 May and 8 May.", "8 May", published="2024-10-01").value == "2024-05-08"
