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


# ---------------------------------------------------------------- the headline inside the text (full pipeline)


@pytest.fixture(scope="module")
def full(nlp):
    """(title, body, with_title) -> MainEvent from the whole pipeline; the title is its own paragraph or absent."""
    from eventwire.extract import extract

    def go(title: str, body: str, with_title: bool = True, published: str = "2025-06-18"):
        text = f"{title}\n\n{body}" if with_title else body
        record = extract(nlp(text), Article(text=text, title=title, published=published), "t")
        for name in ("who", "what", "when", "where", "why", "how"):
            span = getattr(record.main_event, name)
            if span is not None:
                assert text[span.start: span.end] == span.text, name
                assert span.text == span.text.strip(), name  # never a paragraph break or a full stop's space
        return record.main_event

    return go


def test_headline_verb_tagged_as_noun_is_the_predicate(full):
    event = full("Rina Vale protests outside Government House",
                 "The singer Rina Vale joined hundreds of demonstrators outside Government House on Tuesday.")
    assert text_of(event.who) == "Rina Vale"
    assert text_of(event.what) == "protests outside Government House"


@pytest.mark.parametrize("with_title", [True, False])
def test_person_is_answered_by_the_name_not_the_possessive_place(full, with_title):
    event = full("Kenya's Kipchoge wins Berlin marathon",
                 "Eliud Kipchoge won the Berlin marathon on Sunday, his fifth victory in the race.", with_title)
    assert text_of(event.who) in ("Kipchoge", "Eliud Kipchoge")
    assert event.where is None or "Kenya" not in event.where.text  # a possessive is no place of the event
    assert text_of(event.when) == "Sunday"


@pytest.mark.parametrize("with_title,what", [
    (True, "blames delays on rail union"),
    (False, "blamed months of delays on the rail union"),
])
def test_what_takes_the_object_and_its_argument_phrase(full, with_title, what):
    event = full("Transport minister blames delays on rail union",
                 "The transport minister blamed months of delays on the rail union in a speech.", with_title)
    assert text_of(event.what) == what


def test_when_falls_back_to_the_first_lead_sentences(full):
    # The headline names no time; the body's first sentence does.
    event = full("Ferry sinks off Makassar", "A ferry carrying 120 passengers sank near Makassar on Friday. "
                 "Rescuers pulled 90 people from the water.")
    assert text_of(event.when) == "Friday"


def test_a_later_sentences_day_is_not_taken_for_the_events(full):
    event = full("Transport minister blames delays on rail union",
                 "The transport minister blamed months of delays on the rail union in a speech. "
                 "The union rejected the claim on Wednesday.")
    assert event.when is None


def test_where_is_the_headline_named_place_of_the_lead(full):
    event = full("Lagos talks: minister meets union leaders",
                 "Labour minister Grace Okafor met union leaders to avert a strike. The talks were held in Lagos.")
    assert text_of(event.where) in ("Lagos", "in Lagos")


def test_where_skips_a_lead_place_the_headline_does_not_name(full):
    event = full("Minister meets union leaders",
                 "Labour minister Grace Okafor met union leaders to avert a strike. Her office is in Abuja.")
    assert event.where is None


@pytest.mark.parametrize(("title", "text", "expected", "body_start"), [
    (" Ferry sinks ", "A ferry sank off the coast.", "Ferry sinks\n\nA ferry sank off the coast.", 13),
    (None, "A ferry sank off the coast.", "A ferry sank off the coast.", 0),
    ("Ferry sinks", "Ferry sinks\n\nA ferry sank off the coast.", "Ferry sinks\n\nA ferry sank off the coast.", 13),
])
def test_the_headline_is_the_texts_first_paragraph(title, text, expected, body_start):
    from eventwire.headline import headline_first
    from eventwire.model import Article

    art = headline_first(Article(title=title, text=text))
    assert (art.text, art.body_start) == (expected, body_start)


def test_evaluator_gives_the_title_as_a_field_and_prepends_nothing():
    from eventwire.eval.w5h1 import raw_article

    raw = raw_article({"id": 7, "title": "Ferry sinks", "text": "A ferry sank.", "published": "2025-01-02"}, 0)
    assert (raw.title, raw.text, raw.published) == ("Ferry sinks", "A ferry sank.", "2025-01-02")


# ---------------------------------------------------------------- where: the most specific place of the event


def test_where_trades_the_country_for_the_leads_city(full):
    event = full("Bomb attack on hotel in Afghanistan",
                 "A suicide bomber attacked a hotel in Afghanistan on Friday. The blast hit the hotel in the "
                 "northern city of Mazar-i-Sharif, officials said.")
    assert text_of(event.where) == "Mazar-i-Sharif"


@pytest.mark.parametrize(("title", "body"), [
    ("Harbour Hawks beat Boston to win the cup",
     "The Harbour Hawks beat Boston 3-1 on Saturday to win the cup for the first time in 40 years."),
    ("Hawks win the cup after victory over Boston",
     "Ending a long drought, the Harbour Hawks lifted the cup on Saturday, seeing off Boston in extra time."),
])
def test_where_is_not_a_sporting_side(full, title, body):
    event = full(title, body)
    assert event.where is None or "Boston" not in event.where.text


def test_where_is_not_an_unknown_name_nor_a_subject(full):
    event = full("Vale Lions end drought, breaking curse of the Old Mill",
                 "The Vale Lions ended a 60-year drought on Sunday, breaking the curse of the Old Mill. "
                 "Caracas had hoped to host the final.")
    assert event.where is None


def test_where_is_a_multi_part_name_spacy_splits(full):
    event = full("Gunmen storm consulate in Mazar-i-Sharif",
                 "Gunmen stormed a foreign consulate in Mazar-i-Sharif on Thursday night.")
    assert text_of(event.where) in ("in Mazar-i-Sharif", "Mazar-i-Sharif")


# ---------------------------------------------------------------- abstaining and reading headlines right


@pytest.mark.parametrize(("title", "body"), [
    ("Nine miners killed in Silesia", "Nine miners were killed when a coal mine collapsed in Silesia on Monday."),
    ("Ferry passengers rescued off Sulawesi",
     "Dozens of passengers have been rescued after a ferry capsized off Sulawesi."),
])
def test_a_bare_passive_is_no_what(full, title, body):
    event = full(title, body, with_title=False)
    assert event.what is None


def test_a_quoted_first_person_verb_is_not_the_event(full):
    event = full("'I BLAME THE UNIONS' Mayor Dana Ruiz blames strikes for budget hole",
                 "Mayor Dana Ruiz spoke on Monday.")
    assert text_of(event.what) == "blames strikes for budget hole"
    assert text_of(event.who) == "Dana Ruiz"


def test_a_quoted_you_gives_way_to_the_joined_clause(full):
    event = full("You knew it would be close, but the Harbour Hawks are league champions",
                 "The Harbour Hawks won the league on Saturday.")
    assert text_of(event.what) == "are league champions"


def test_an_object_behind_quote_marks_is_still_the_object(full):
    event = full("Mayor Ruiz slams 'rigged' FIFA and says it is unfair", "The mayor spoke on Monday.")
    assert text_of(event.what) == "slams 'rigged' FIFA"


def test_a_side_clauses_bare_verb_is_no_what(full):
    event = full("Bus crash: Driver arrested as six dead", "Six people died when a bus crashed on Monday.")
    assert event.what is None


def test_have_is_no_event(full):
    event = full("Minister says she and union leaders had 'constructive talks'",
                 "The labour minister met union leaders on Monday.")
    assert event.what is None


@pytest.mark.parametrize(("title", "who"), [
    ("Ana Silva, Marta Costa and Rui Lopes win national book awards", "Ana Silva, Marta Costa and Rui Lopes"),
    ("Lena Meyer, Omar Haddad and Paul Young share the physics prize", "Lena Meyer, Omar Haddad and Paul Young"),
])
def test_who_is_the_list_of_three_or_more_names(full, title, who):
    event = full(title, "The winners were announced in Lisbon on Tuesday.")
    assert text_of(event.who) == who


@pytest.mark.parametrize(("body", "when"), [
    ("Gunmen stormed a bank in Kano late Thursday, police said.", "late Thursday"),
    ("Gunmen stormed a bank in Kano in the early hours of Thursday, police said.",
     "in the early hours of Thursday"),
])
def test_when_keeps_the_part_of_the_day(full, body, when):
    event = full("Gunmen storm bank in Kano", body, with_title=False, published="2025-06-20")
    assert text_of(event.when) == when


def test_reveal_reports_the_event(full):
    event = full("Four men arrested after bank raid",
                 "Police revealed that four men had robbed a bank in Kano on Friday.", with_title=False)
    assert text_of(event.who) == "four men"


@pytest.mark.parametrize(("title", "body", "where"), [
    # an unknown site is placed by the known town its phrase names
    ("Gunmen strike French Embassy in Kano",
     "Gunmen struck at the French Embassy in the northern city of Kano on Friday.", "Kano"),
    # an unknown area is not trusted: the headline's known town answers instead
    ("Kano bank raid: robbers named as two men from East Side",
     "The robbers have been named as two men who lived in East Side. They robbed a bank in Kano on Friday.",
     "Kano"),
])
@pytest.mark.parametrize("with_title", [True, False])
def test_where_does_not_answer_an_unknown_place(full, title, body, where, with_title):
    event = full(title, body, with_title)
    assert text_of(event.where) == where


def test_what_keeps_a_by_gerund_without_its_place(full):
    event = full("Teen driver stuns his rivals by storming into second place in Milan",
                 "The teenager finished second on Sunday.")
    assert text_of(event.what) == "stuns his rivals by storming into second place"


@pytest.mark.parametrize("body", [
    "Sunday's rain-soaked Portuguese Grand Prix was stopped on lap 12 when three cars collided. "
    "The stewards' chairman is a former driver.",
    "The regional summit was suspended on Sunday after a power cut.",
])
def test_an_event_is_not_who(full, body):
    event = full("Portuguese Grand Prix halted after crashes", body, with_title=False)
    assert event.who is None


def test_the_noun_is_answered_by_its_first_description(full):
    event = full("Boy falls down dry well",
                 "Rescuers are working to reach a six-year-old boy. Some 40 diggers are in use. "
                 "The boy fell down a dry well on Sunday morning.")
    assert text_of(event.who) == "six-year-old boy"


@pytest.mark.parametrize(("text", "why"), [
    ("Crowds gathered in the main square as the new president was sworn in on Monday.", None),
    ("Students marched on parliament after the election result on Monday.", None),
    ("Students marched on parliament on Monday after police shot a teenager.", "after police shot a teenager"),
    ("Students marched on parliament on Monday because fees had doubled.", "because fees had doubled"),
])
def test_why_is_a_cause_not_a_time(five, text, why):
    assert text_of(five(text).why) == why


@pytest.mark.parametrize(("text", "how"), [
    ("The minister was cleared by the ethics committee on Monday.", None),
    ("The president met with Ana Silva at the palace on Monday.", None),
    ("On Monday the robbers entered the bank by cutting through the fence.", "by cutting through the fence"),
    ("Gunmen attacked the convoy with rocket launchers on Monday.", "with rocket launchers"),
])
def test_how_is_a_means_not_an_agent_or_company(five, text, how):
    assert text_of(five(text).how) == how


def test_headline_verb_read_as_a_plural_subject(full):
    event = full("Rina Vale stages protest outside Government House after vote",
                 "The singer joined hundreds of demonstrators on Tuesday.")
    assert text_of(event.who) == "Rina Vale"
    assert text_of(event.what) == "stages protest outside Government House"


def test_a_plural_people_noun_stays_the_subject(full):
    event = full("Harbour Hawks fans celebrate first title", "Fans filled the streets on Sunday.")
    assert text_of(event.what).startswith("celebrate")


@pytest.mark.parametrize("with_title", [True, False])
def test_where_from_the_first_sentence_when_the_headline_names_no_place(full, with_title):
    event = full("What the handshake told us about the two leaders",
                 "The two leaders met for the first time at the White House on Thursday. Aides watched.", with_title)
    assert text_of(event.where) == "White House"


def test_a_bare_year_gives_way_to_the_leads_day(full):
    event = full("League final 2025: Harbour Hawks fans celebrate first title",
                 "Harbour Hawks fans poured into the streets on Wednesday night after the final.", published="2025-06-19")
    assert text_of(event.when) == "Wednesday night"



@pytest.mark.parametrize(("words", "heads", "deps", "subject", "dateline"), [
    # the parser's misreading seen on all-caps datelines: the dateline hung on the verb as a second subject
    (["KABUL", ",", "Afghanistan", "--", "Insurgents", "struck", "a", "base", "."],
     [5, 0, 0, 5, 5, 5, 7, 5, 5], ["nsubj", "punct", "appos", "punct", "nsubj", "ROOT", "det", "dobj", "punct"], 0, True),
    (["KABUL", ",", "Afghanistan", "--", "Insurgents", "struck", "a", "base", "."],
     [5, 0, 0, 5, 5, 5, 7, 5, 5], ["nsubj", "punct", "appos", "punct", "nsubj", "ROOT", "det", "dobj", "punct"], 4, False),
    (["Insurgents", "struck", "a", "base", "."], [1, 1, 3, 1, 1], ["nsubj", "ROOT", "det", "dobj", "punct"], 0, False),
])
def test_dateline_subject(nlp, words, heads, deps, subject, dateline):
    from spacy.tokens import Doc

    from eventwire.extract.main_event import _is_dateline

    doc = Doc(nlp.vocab, words=words, heads=heads, deps=deps)
    assert _is_dateline(doc[subject]) is dateline


def test_a_dateline_is_not_the_subject(full):
    event = full("Rebels strike army base in Kalemba",
                 "GOMA, Congo -- Rebel fighters struck at an army base in Kalemba on Thursday night, officials said.",
                 with_title=False)
    assert text_of(event.who) == "Rebel fighters"



@pytest.mark.parametrize(("words", "tags", "heads", "deps", "verb"), [
    (["Rina", "Vale", "stages", "protest", "outside", "court"], ["NNP", "NNP", "NNS", "VBP", "IN", "NN"],
     [1, 2, 3, 3, 3, 4], ["compound", "compound", "nsubj", "ROOT", "prep", "pobj"], "stages"),
    # the supposed verb has an object of its own: the parse stands
    (["Rina", "Vale", "songs", "top", "charts"], ["NNP", "NNP", "NNS", "VBP", "NNS"],
     [1, 2, 3, 3, 3], ["compound", "compound", "nsubj", "ROOT", "dobj"], None),
    # a people noun is a real subject
    (["Rina", "Vale", "fans", "protest", "outside", "court"], ["NNP", "NNP", "NNS", "VBP", "IN", "NN"],
     [1, 2, 3, 3, 3, 4], ["compound", "compound", "nsubj", "ROOT", "prep", "pobj"], None),
])
def test_verb_read_as_subject(nlp, words, tags, heads, deps, verb):
    from spacy.tokens import Doc

    from eventwire.extract.main_event import _verb_read_as_subject

    ents = ["B-PERSON", "I-PERSON"] + ["O"] * (len(words) - 2)
    lemmas = [w.lower().removesuffix("s") for w in words]
    doc = Doc(nlp.vocab, words=words, tags=tags, heads=heads, deps=deps, ents=ents, lemmas=lemmas)
    found = _verb_read_as_subject(doc[3])
    assert (found.text if found is not None else None) == verb


@pytest.mark.parametrize(("text", "expected"), [
    ("Vale protests outside Palm Tower\n\nCrowds gathered outside Palm Tower in Port Ora on Sunday.",
     "Palm Tower in Port Ora"),
    ("Vale protests outside Palm Tower\n\nCrowds gathered outside Palm Tower on Sunday in Port Ora.", None),
])
def test_a_site_is_answered_with_its_town(text, expected):
    from types import SimpleNamespace

    from eventwire.extract.main_event import _site_with_town
    from eventwire.model import Location, Span

    site, town = Location("Palm Tower", precision="point", confidence=0.9), Location("Port Ora", precision="city",
                                                                                      confidence=0.9)
    first = text.index("Palm Tower")
    second = text.index("Palm Tower", first + 1)
    found = [(first, first + 10, site), (second, second + 10, site)]
    found.append((text.index("Port Ora"), text.index("Port Ora") + 8, town))
    answer = Span(first, first + 10, "Palm Tower")
    got = _site_with_town(SimpleNamespace(text=text), answer, found, len(text))
    assert (got.text if got is not None else None) == expected


@pytest.mark.parametrize(("title", "text", "what"), [
    ("Chinese troops arrive in Laos", "Three Chinese transport planes landed at the main airport in Laos on Monday.",
     "landed at the main airport"),
    ("Rebels attack army base", "Rebels struck an army base near the border on Monday.", "struck an army base"),
])
def test_headline_synonym_agrees_with_the_lead(five, title, text, what):
    # "arrive" in the headline, "landed" in the lead: the same happening in other words
    assert text_of(five(text, title).what).startswith(what)


@pytest.mark.parametrize(("title", "body"), [
    ("Zaria men held over Kano bank raid",
     "Police have arrested two men who lived in Zaria. They robbed a bank in Kano on Friday."),
    ("Kano fire: victims named as three traders from Zaria",
     "The victims have been named as three traders who worked in Zaria. The fire destroyed a market in Kano."),
    ("Zaria students detained after Kano protest",
     "Police detained students who study in Zaria. They had protested outside a court in Kano on Monday."),
])
def test_where_is_not_a_place_inside_a_relative_clause(full, title, body):
    """Where a participant lives, works or studies describes them, not where the event happened."""
    event = full(title, body)
    assert event.where is None or "Zaria" not in text_of(event.where)
