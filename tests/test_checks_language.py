"""Drafts in other scripts and languages: words are Unicode; a non-English draft is said to be."""

from __future__ import annotations

from checks_helpers import context, marked
from evenhand import check
from evenhand.checks.unsupported import check_unsupported
from evenhand.data import example_paths
from evenhand.schema import Article

GERMAN_DRAFT = (
    "Der belarussische Präsident Alexander Lukaschenko sagte, Russland habe keine dauerhafte "
    "Militärbasis in Belarus gefordert. Die Regierung in Minsk sieht keinen Bedarf für eine "
    "ständige Präsenz russischer Truppen. Westliche Regierungen und die Opposition kritisierten "
    "die Äußerungen des Präsidenten über die Wahl und die Proteste."
)


def test_a_name_with_letters_outside_ascii_is_compared_whole() -> None:
    draft = "Mayor Jane Holt said the bridge would close. Jürgen Özdemir praised the decision."
    names = [
        marked(draft, f.location.start, f.location.end)
        for f in check_unsupported(context(draft))
        if f.location is not None and "appears in no source" in f.message
    ]
    assert names == ["Jürgen Özdemir"]


def test_a_german_word_is_one_word_known_to_german_sources() -> None:
    source = Article(
        id="d",
        outlet="Zeitung D",
        text=(
            "Präsident Lukaschenko hat am Dienstag erklärt, dass Russland keine Militärbasis in "
            "Belarus errichten werde. Die Opposition kritisierte die Äußerungen scharf."
        ),
    )
    draft = "Präsident Lukaschenko erklärte, Russland werde keine Militärbasis errichten."
    findings = check_unsupported(context(draft, [source]))
    assert [f.message for f in findings if "appears in no source" in f.message] == []


def test_a_german_draft_gets_the_language_finding_and_no_false_name_errors() -> None:
    result = check(GERMAN_DRAFT, example_paths())
    language = [f for f in result.findings if f.check == "language"]
    assert len(language) == 1
    assert language[0].severity == "warning"
    assert language[0].location is not None
    assert language[0].location.target == "draft"
    names = [f.message for f in result.findings if "appears in no source" in f.message]
    assert names == []
