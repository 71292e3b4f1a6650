"""The offline engine's pieces on their own: cues, actors, alignment, cleaning, claims."""

from __future__ import annotations

from evenhand.annotate.cues import cue_kinds
from evenhand.offline.actors import sentence_actors
from evenhand.offline.align import align, stem
from evenhand.offline.claims import contested_claims, framing_claims
from evenhand.offline.clean import has_unquoted_loaded, neutralise
from evenhand.offline.entities import name_mentions
from evenhand.offline.language import looks_english
from evenhand.schema import Article


def test_cues_tell_reports_allegations_disputes_and_verdicts() -> None:
    assert cue_kinds("The minister said on Friday.") == {"report"}
    assert cue_kinds("Critics alleged fraud.") == {"allegation"}
    assert "dispute" in cue_kinds("The ministry denied it.")
    assert "dispute" in cue_kinds("Kyiv did not recognize the result.")
    assert "unsupported" in cue_kinds("She repeated the claim without providing any evidence.")
    assert cue_kinds("The bridge opened in May.") == set()


def test_actors_are_placed_on_the_side_they_take() -> None:
    actors = sentence_actors(
        "Democrats accused the governor of fraud, a charge the State Department rejected."
    )
    assert [(a.name, a.side) for a in actors] == [
        ("Democrats", "challenges"),
        ("State Department", "defends"),
    ]
    actors = sentence_actors("The Kremlin dismissed the reports as baseless.")
    assert [(a.name, a.side) for a in actors] == [("Kremlin", "defends")]


def test_stem_maps_inflections_and_news_synonyms_together() -> None:
    assert stem("elections") == stem("vote") == stem("election")
    assert stem("victory") == stem("won")
    assert stem("deployed") == stem("deploy")


def test_alignment_pairs_sentences_that_report_the_same_fact() -> None:
    a = Article(id="a", text="The mayor closed the harbour bridge on Monday. Rain fell all day.")
    b = Article(id="b", text="Officials praised the budget. On Monday the mayor closed the bridge.")
    alignment = align([a, b])
    first = alignment.refs()[0]
    assert alignment.is_shared(first)
    assert alignment.counterparts(first)[0].ref.sentence_index == 1
    assert not alignment.is_shared(alignment.refs()[1])


def test_neutralise_replaces_or_removes_outlet_voice_terms_only() -> None:
    assert neutralise("The regime slammed the plan.") == "The government criticised the plan."
    cleaned = neutralise("He repeated the claim, without providing any evidence.")
    assert cleaned == "He repeated the claim."
    quoted = 'She called them "thugs" on Friday.'
    assert neutralise(quoted) == quoted
    assert neutralise("Self-proclaimed president of Freedonia Jan Kowal spoke.") == (
        "Jan Kowal spoke."
    )
    assert neutralise("The claims, which Ruritania rejected as baseless, grew.") == (
        "The claims, which Ruritania rejected, grew."
    )
    # A modifier goes; a noun that carries its clause stays (cutting it would leave "was a."),
    # and the summary then passes the sentence over.
    assert neutralise("The so-called reform was a sham.") == "The reform was a sham."
    assert not has_unquoted_loaded(neutralise("The so-called reform passed."))


def test_labels_before_names_are_read() -> None:
    mentions = name_mentions("Former Prime Minister Jan Kowal met strongman Ivo Bregovic.")
    assert [(m.name, m.label) for m in mentions] == [
        ("Jan Kowal", "Former Prime Minister"),
        ("Ivo Bregovic", "strongman"),
    ]


def test_names_are_people_not_places_dates_or_clause_words() -> None:
    text = (
        "However Jan Kowal spoke in New Hampshire on Monday. Mr. Kowal met Missouri Sen. Ivo "
        "Bregovic, and the self-proclaimed president of Belarus Alexander Lukashenko."
    )
    assert [(m.name, m.label, m.key) for m in name_mentions(text)] == [
        ("Jan Kowal", "", "kowal"),
        ("Ivo Bregovic", "Missouri Sen.", "bregovic"),
        ("Alexander Lukashenko", "self-proclaimed president of Belarus", "lukashenko"),
    ]


def test_framing_needs_a_loaded_or_unrelated_label() -> None:
    a = Article(id="a", text="Strongman Ivo Bregovic spoke in the capital on Monday.")
    b = Article(id="b", text="President Ivo Bregovic spoke in the capital on Monday.")
    c = Article(id="c", text="Acting President Ivo Bregovic spoke in the capital on Monday.")
    claims = framing_claims([a, b])
    assert len(claims) == 1
    assert {p.article_id: p.stance for p in claims[0].positions} == {
        "a": "asserts",
        "b": "reports",
    }
    assert framing_claims([b, c]) == []


def test_a_dispute_reported_by_two_outlets_becomes_one_disputed_claim() -> None:
    a = Article(
        id="a",
        text=(
            "The opposition alleged fraud in the regional election on Sunday. "
            "The electoral commission rejected the allegations as baseless."
        ),
    )
    b = Article(
        id="b",
        text=(
            "Observers said turnout was high. "
            "The opposition claimed the regional election was stolen, without offering evidence."
        ),
    )
    claims = [c for c in contested_claims([a, b], align([a, b])) if c.kind == "disputed"]
    assert len(claims) == 1
    stances = {p.article_id: p.stance for p in claims[0].positions}
    assert stances == {"a": "reports", "b": "disputes"}
    assert "electoral commission" in claims[0].note
    assert "election" in claims[0].claim


def test_english_guard() -> None:
    assert looks_english("The council said on Monday that it would review the plan for the city.")
    assert not looks_english(
        "El consejo municipal anunció el lunes que revisará el plan urbano de la ciudad "
        "durante las próximas semanas con los vecinos afectados por las obras."
    )


def test_a_loaded_word_with_no_alternative_is_not_cut_out_of_the_middle_of_a_clause() -> None:
    from evenhand.offline.clean import has_outlet_voice_loaded, neutralise

    broken = neutralise("Critics alleged that the count was rigged, a claim the board denied.")
    # Left whole (the summary then passes the sentence over) rather than "the count was, a claim".
    assert "was, a claim" not in broken
    assert has_outlet_voice_loaded(broken)
    trailing = neutralise("She claimed there had been fraud, without providing any evidence.")
    assert trailing == "She claimed there had been fraud."


def test_dispute_actors_are_resolved_and_outlets_that_leave_it_out_omit_it() -> None:
    a = Article(
        id="a",
        text=(
            "The opposition leader, Maria Kolesnikova, spoke in Minsk on Sunday. "
            "She claimed the regional election was rigged. "
            "The electoral commission rejected the allegations as baseless."
        ),
    )
    b = Article(
        id="b",
        text=(
            "Observers said turnout was high. "
            "Maria Kolesnikova alleged fraud in the regional election, without offering evidence."
        ),
    )
    c = Article(id="c", text="The weather in Minsk was cold on Sunday and the markets were closed.")
    [claim] = [c for c in contested_claims([a, b, c], align([a, b, c])) if c.kind == "disputed"]
    actors = {(x.actor, x.stance): x for x in claim.actors}
    # "She" is resolved to the person named before it; both outlets report her.
    kolesnikova = actors["Maria Kolesnikova", "asserts"]
    assert (kolesnikova.kind, kolesnikova.reported_by) == ("person", ["a", "b"])
    assert "She claimed" in kolesnikova.evidence[0].text
    assert actors["electoral commission", "disputes"].kind == "organisation"
    # Outlet b says in its own voice that no evidence was offered: an outlet actor.
    outlet = actors["b", "disputes"]
    assert (outlet.kind, [s.text for s in outlet.evidence]) == (
        "outlet",
        ["without offering evidence"],
    )
    assert {p.article_id: p.stance for p in claim.positions} == {
        "a": "reports",
        "b": "disputes",
        "c": "omits",
    }
    assert claim.note.startswith("Maria Kolesnikova alleges that the regional election was rigged;")
    assert "electoral commission rejects this" in claim.note


def test_neutralising_keeps_the_meaning_of_stormed() -> None:
    # "stormed out" is leaving; "stormed the embassy" is not, and has no one-word neutral form,
    # so that sentence keeps its word (and the summary passes it over) rather than say "left".
    assert neutralise("He stormed out of the meeting.") == "He walked out of the meeting."
    assert neutralise("Protesters stormed the embassy on Monday.") == (
        "Protesters stormed the embassy on Monday."
    )
