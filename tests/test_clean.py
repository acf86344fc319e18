"""Stage 2: debris goes, each removal has a reason, agency tags become credits."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eventwire.clean import clean, clean_text, split_headline
from eventwire.ingest.base import RawArticle

DOUBLED = "Soldiers unload crates at the port on Monday (AFP)\nSoldiers unload crates at the port on Monday (AFP)"


@pytest.mark.parametrize(("text", "reason"), [
    (DOUBLED, "repeated line"),
    ("Our blog uses Akismet against junk comments.", "comment-spam footer"),
    ("Comments are moderated to reduce spam.", "comment-spam footer"),
    ("We use cookies to improve your experience on our site.", "cookie notice"),
    ("Sign up for our daily newsletter", "newsletter"),
    ("Share this article: Facebook Twitter Email", "share line"),
    ("Facebook | Twitter | Email", "share line"),
    ("Read more: Ministers meet in Geneva", "related links"),
    ("Copyright © 2025 Daily Planet", "copyright"),
    ("(Reporting by Ana Ruiz; Editing by Tom Hale)", "byline"),
    ("Mei Tanaka in Osaka and Jonas Berg in Oslo contributed to this report.", "byline"),
    ("Additional reporting by Ana Ruiz in Lima.", "byline"),
])
def test_debris_is_removed_with_reason(text, reason):
    body = "The ministers met in Geneva on Monday and agreed to resume talks next month."
    cleaned, _, removed = clean_text(body + "\n\n" + text)
    assert body in cleaned
    assert reason in {r.reason for r in removed}
    assert all(r.text.strip() not in cleaned for r in removed if r.reason != "repeated line")


@pytest.mark.parametrize(("line", "credit", "kept"), [
    ("(AFP) Troops crossed the river on Sunday.", "AFP", "Troops crossed the river on Sunday."),
    ("Troops crossed the river on Sunday (Reuters)", "Reuters", "Troops crossed the river on Sunday"),
    ("KYIV, March 3 (Reuters) - Drones hit a power plant.", "Reuters", "KYIV, March 3 - Drones hit a power plant."),
    ("(BBC) Protesters gathered outside parliament.", "BBC", "Protesters gathered outside parliament."),
])
def test_agency_tags_become_credits(line, credit, kept):
    cleaned, credits, _ = clean_text(line)
    assert credits == [credit]
    assert cleaned == kept


def test_parenthesised_words_that_are_not_outlets_stay():
    cleaned, credits, _ = clean_text("The party (PDP) won the vote (narrowly) on Sunday.")
    assert credits == []
    assert cleaned == "The party (PDP) won the vote (narrowly) on Sunday."


def test_headline_is_split_from_plain_text():
    title, rest = split_headline("Rebels seize border town\n\nRebels seized the town of X on Friday.")
    assert title == "Rebels seize border town"
    assert rest.strip().startswith("Rebels seized")


def test_no_clean_keeps_text_verbatim():
    raw = RawArticle(id="a", origin="t", text=DOUBLED + "\n\nWe use cookies to improve your experience.")
    article = clean(raw, enabled=False)
    assert article.text == raw.text
    assert article.removed == []


@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80), max_size=20))
def test_clean_never_invents_text(lines):
    cleaned, credits, removed = clean_text("\n".join(lines))
    source = "\n".join(lines)
    for paragraph in cleaned.split("\n\n"):
        if paragraph:
            # A kept paragraph is an input line, less any agency tag moved to credits.
            assert any(paragraph.split(" - ")[-1].strip() in line for line in lines) or credits
    assert all(r.text in source for r in removed)


@pytest.mark.parametrize(("text", "code"), [
    ("The government announced on Tuesday that the troops would leave the city by the end of the month.", "en"),
    ("TROOPS LEAVE THE CAPITAL AS TALKS WITH THE REBELS RESUME IN THE NORTH OF THE COUNTRY", "en"),
    ("Le gouvernement a annoncé mardi que les troupes quitteraient la ville avant la fin du mois.", "fr"),
    ("Die Regierung hat am Dienstag angekündigt, dass die Truppen die Stadt verlassen werden.", "de"),
    ("El gobierno anunció el martes que las tropas abandonarían la ciudad antes de fin de mes.", "es"),
])
def test_language_is_detected(text, code):
    from eventwire.clean import language_code

    assert language_code(text) == code


def test_other_languages_are_kept_uncoded_with_the_reason():
    from eventwire.pipeline import Options, process_batch

    raw = RawArticle(id="fr", origin="fr.txt", text="Le gouvernement a annoncé mardi que les troupes "
                     "quitteraient la ville avant la fin du mois, selon un communiqué officiel.")
    [result] = process_batch([raw], Options())
    assert result.ok and result.record.article.language == "fr"
    assert result.record.article.coded is False and "English" in result.record.article.coded_reason
    assert result.record.events == [] and "troupes" in result.record.article.text


def test_wire_credit_is_told_from_a_photo_credit():
    text = ("A soldier at the port on Monday (Reuters)\n\n(AFP) Troops arrived at the port on Monday, "
            "officials said.\n\nMore troops are expected next week.")
    article = clean(RawArticle(id="w", origin="t", text=text, title="Troops arrive"))
    assert article.credits == ["Reuters", "AFP"]
    assert article.wire == "AFP"  # the text's own agency; the Reuters tag credits a photo
