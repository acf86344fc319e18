"""Claims and certainty: speaker, cue, channel, content, certainty and chains, on self-written sentences."""

from __future__ import annotations

import pytest

from eventwire.dictionary import dictionary
from eventwire.extract import Context
from eventwire.extract.claims import attribution_for, extract_claims
from eventwire.model import Article, Record


@pytest.fixture(scope="module")
def run(nlp):
    """text -> Context with only the claims extractor run (independent of the other stages)."""

    def go(text: str) -> Context:
        ctx = Context(doc=nlp(text), record=Record(id="t", article=Article(text=text)), published=None,
                      dictionary=dictionary())
        extract_claims(ctx)
        return ctx

    return go


CASES = [
    # text, speaker, cue, channel, certainty, a word the content must hold
    ("Two Chinese transport planes landed at the capital's airport on Tuesday, reportedly carrying dozens "
     "of soldiers.", None, "reportedly", None, "hedged", "soldiers"),
    ('The aircraft were sent to "carry out training", the state-run Xinhua news agency reported.',
     "Xinhua", "reported", "news agency", "reported", "training"),
    ("Sok Dara, who covers the port for a local radio station, wrote on Twitter that dozens of trucks "
     "had crossed.", "Sok Dara", "wrote", "Twitter", "reported", "dozens of trucks"),
    ("Images on social media appeared to show soldiers at the airport.",
     "Images on social media", "appeared to show", "social media", "hedged", "soldiers at the airport"),
    ("It is not clear what cargo the planes carried.", None, "is not clear", None, "hedged", "cargo"),
    ("The ministry denied that any troops had arrived.", "The ministry", "denied", None, "denied", "arrived"),
    ("According to Reuters, the convoy left the port on Monday.", "Reuters", "According to", "news agency",
     "reported", "convoy left the port"),
    ("A statement from the navy said the drills were routine.", "the navy", "said", "statement", "reported",
     "drills were routine"),
    ("The Kremlin accused the opposition of plotting a coup.", "The Kremlin", "accused", None, "reported",
     "plotting a coup"),
    ('"We will not retreat," the minister told reporters.', "the minister", "told", "reporters", "reported",
     "We will not retreat"),
    ("The colonel, quoted by TASS, said the mission was over.", "The colonel", "said", "TASS", "reported",
     "mission was over"),
    ("The army rejected claims that civilians had been killed.", "The army", "rejected", None, "denied",
     "civilians had been killed"),
    ("The spokeswoman said in a post on X that the talks had failed.", "The spokeswoman", "said", "X",
     "reported", "talks had failed"),
    ("The minister told Reuters the deal was close.", "The minister", "told", "Reuters", "reported",
     "deal was close"),
    ("The rebels are believed to have seized the town.", None, "are believed to", None, "hedged", "seized"),
    ("The convoy may have crossed the border overnight.", None, "may have", None, "hedged", "crossed the border"),
    ("Unconfirmed reports said the governor had fled.", "Unconfirmed reports", "said", None, "hedged", "fled"),
    ("The governor said on Telegram that the bridge was destroyed.", "The governor", "said", "Telegram",
     "reported", "bridge was destroyed"),
    ("Peru's interior ministry said in a statement that two officers had been injured during the night.",
     "Peru's interior ministry", "said", "statement", "reported", "two officers had been injured"),
    ("Nine miners were trapped in a shaft near Oruro on Friday, the regional governor said, in the worst "
     "accident this year.", "the regional governor", "said", None, "reported", "Nine miners were trapped"),
]


@pytest.mark.parametrize("text,speaker,cue,channel,certainty,content", CASES)
def test_one_claim(run, text, speaker, cue, channel, certainty, content):
    ctx = run(text)
    assert len(ctx.record.claims) == 1, [c.cue.text for c in ctx.record.claims]
    claim = ctx.record.claims[0]
    assert (claim.speaker.text if claim.speaker else None) == speaker
    assert claim.cue.text == cue
    assert claim.channel == channel
    assert claim.certainty == certainty
    assert content in claim.content.text


@pytest.mark.parametrize("text", [
    "The ceasefire collapsed on Sunday.",
    "Troops crossed the river and took the village.",
    "The president may visit the region next week.",
])
def test_plain_narration_makes_no_claim(run, text):
    assert run(text).record.claims == []


def test_spans_are_exact_substrings(run):
    text = "Officials said on Facebook that 12 people were hurt. It was not clear whether the fire was set."
    ctx = run(text)
    assert len(ctx.record.claims) == 2
    for claim in ctx.record.claims:
        for span in (claim.cue, claim.content):
            assert text[span.start: span.end] == span.text
        if claim.speaker:
            assert text[claim.speaker.start: claim.speaker.end] == claim.speaker.text


def test_chain_inner_claim_is_via_outer(run):
    ctx = run("The BBC reported that Sputnik said the jets had landed.")
    outer, inner = ctx.record.claims
    assert outer.speaker.text == "The BBC" and inner.speaker.text == "Sputnik"
    assert inner.via == outer.id and outer.via is None


def test_attribution_for_event_inside_claim(run):
    text = "Sok Dara wrote on Twitter that soldiers unloaded the crates."
    ctx = run(text)
    at = text.index("unloaded")
    attribution = attribution_for(ctx, at, at + len("unloaded"))
    assert attribution is not None
    assert (attribution.speaker, attribution.channel, attribution.certainty) == ("Sok Dara", "Twitter", "reported")
    assert attribution.claim == ctx.record.claims[0].id


def test_attribution_for_hedge_and_plain(run):
    text = "The planes landed on Tuesday, reportedly carrying troops. The crew left."
    ctx = run(text)
    carrying = text.index("carrying")
    assert attribution_for(ctx, carrying, carrying + 8).certainty == "hedged"
    landed = text.index("landed")
    assert attribution_for(ctx, landed, landed + 6) is None
    left = text.index("left")
    assert attribution_for(ctx, left, left + 4) is None


def test_hedge_inside_reported_claim_keeps_the_speaker(run):
    text = "The mayor said the militia had allegedly burned the market."
    ctx = run(text)
    at = text.index("burned")
    attribution = attribution_for(ctx, at, at + 6)
    assert attribution.speaker == "The mayor"
    assert attribution.certainty == "hedged"


def test_pronoun_speaker_is_credited_to_the_named_speaker(run):
    text = ("The Chilean navy said two trawlers had entered its waters. It denied that its ships had fired "
            "on them.")
    ctx = run(text)
    denial = next(c for c in ctx.record.claims if c.certainty == "denied")
    assert denial.speaker.text == "The Chilean navy"
    assert text[denial.speaker.start: denial.speaker.end] == "The Chilean navy"


@pytest.mark.parametrize(("follow_up", "channel"), [
    ("She said that General Pablo Vera led the convoy into the city.", "Twitter"),  # goes on in the same post
    ("She denied that General Pablo Vera led the convoy.", None),  # a denial is a new statement
    ("Pablo Vera said that the convoy left.", None),  # another speaker has no channel of hers
])
def test_pronoun_follow_up_keeps_the_speakers_channel(run, follow_up, channel):
    ctx = run("Ana Ruiz, a Chilean reporter, wrote on Twitter that she saw tanks near the port.\n\n" + follow_up)
    first, second = ctx.record.claims
    assert first.channel == "Twitter"
    assert second.channel == channel


def test_a_channel_named_by_its_own_name_speaks_not_its_owner(run):
    ctx = run("The aircraft were sent to help, Egypt's state-run MENA news agency said.")
    [claim] = ctx.record.claims
    assert claim.speaker.text.startswith("MENA") and claim.channel == "news agency"


@pytest.mark.parametrize(("text", "hedged"), [
    ("Rebels said they shot down a helicopter near Goma. Reuters could not independently verify the claim.", True),
    ("Video posted online showed tanks in the square. It was not possible to confirm the footage.", True),
    ("Police arrested 12 men in Lagos. The army confirmed the arrests.", False),
])
def test_reporter_who_cannot_verify_hedges_the_sentence_before(run, text, hedged):
    ctx = run(text)
    first_sentence_end = text.index(". ") + 1
    doubts = [c for c in ctx.record.claims if c.certainty == "hedged" and c.speaker is None
              and c.content.start == 0 and c.content.end <= first_sentence_end]
    assert bool(doubts) == hedged


@pytest.mark.parametrize(("text", "speaker", "channel"), [
    ("Xinhua quoted Defence Minister Dong Jun as saying that China would respond firmly.",
     "Defence Minister Dong Jun", "Xinhua"),
    ("TASS cited a military source as saying troops had crossed the river.", "a military source", "TASS"),
])
def test_quoted_as_saying(run, text, speaker, channel):
    [claim] = run(text).record.claims
    assert (claim.speaker.text, claim.channel, claim.certainty) == (speaker, channel, "reported")
    assert claim.content.text.endswith(("firmly", "river"))
