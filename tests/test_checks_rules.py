"""Rules the held-out draft corpus called for: who a quotation belongs to when a sentence quotes
several people, reported speech as a claim, ordinal and out-of-context numbers, facts most (not
all) sources carry, and excerpts cut at a word."""

from __future__ import annotations

import re

import pytest

from checks_helpers import A, B, context
from evenhand.checks.omission import check_omission
from evenhand.checks.quotations import check_grounding
from evenhand.checks.speakers import context_names, quote_speakers, speaker_names
from evenhand.checks.unattributed_contested import check_unattributed_contested
from evenhand.checks.unsupported import check_unsupported
from evenhand.checks.words import excerpt, has_attribution, numbers_in
from evenhand.schema import Article


def _speakers(sentence: str) -> list[set[str]]:
    return [
        quote_speakers(sentence, 0, len(sentence), m.start(), m.end())[0]
        for m in re.finditer("“[^”]*”", sentence)
    ]


def test_each_quotation_gets_the_verb_that_governs_it() -> None:
    sentence = (
        "Senator John McCain called the comments “wildly inaccurate,” and Senator Jim DeMint "
        "said Steele “needs to apologize to our military.”"
    )
    assert _speakers(sentence) == [{"john", "mccain"}, {"jim", "demint"}]


def test_a_scare_quoted_term_in_another_clause_has_no_speaker() -> None:
    sentence = (
        "The group asked supporters to donate the cost of a meal to rights groups, and couples "
        "planned a “kiss-in” at the restaurants on Friday."
    )
    assert _speakers(sentence) == [set()]


def test_quotation_followed_by_its_attribution() -> None:
    assert _speakers("“We need a tough president,” Arpaio said.") == [{"arpaio"}]
    assert _speakers("“We need a tough president,” said Joe Arpaio.") == [{"joe", "arpaio"}]


def test_subjects_through_appositives_relative_clauses_and_coordination() -> None:
    cases = {
        "His lawyer, Reid H. Weingarten, said his client had health issues.": {"weingarten"},
        "Cathi Herrod, president of the Center for Arizona Policy, which backed the bill, said "
        "opponents lied.": {"cathi", "herrod"},
        "Sen. John McCain, R-Ariz., said Steele's comments were wrong.": {"john", "mccain"},
        "Peskov, Putin's spokesman, said so.": {"peskov"},
        "Sarah Palin, the 2008 nominee, defended the movement and said she was saddened.": {
            "sarah",
            "palin",
        },
        "'We are disappointed,' said the statement from Grimm's attorney, William McGinley.": {
            "william",
            "mcginley",
        },
    }
    for sentence, expected in cases.items():
        names, _ = speaker_names(sentence, 0, len(sentence))
        assert expected <= names, sentence
    # "X said Y's health ..." names X; after "but said", the name that follows is not a speaker.
    names, _ = speaker_names("Reid Weingarten said Jackson's health issues were related.", 0, 58)
    assert "jackson" not in names
    sentence = "Speaking on Sunday, Sen. Jim DeMint, R-S.C., would not but said Steele must go."
    assert speaker_names(sentence, 0, len(sentence))[0] == {"jim", "demint"}


def test_wrong_speaker_found_for_the_second_quote_of_a_sentence() -> None:
    draft = (
        "Holt said the city would close the bridge, and Ray Ortiz said “The bridge is no longer "
        "safe for heavy trucks.”"
    )
    findings = [f for f in check_grounding(context(draft)) if f.severity == "error"]
    assert findings
    assert "Ortiz" in findings[0].message


def test_reported_speech_stated_as_fact_is_flagged() -> None:
    # B: "Holt said engineers found cracks in two support beams." No source says so itself.
    draft = (
        "Holt said the city will close the Elm Street bridge. "
        "Engineers found cracks in two support beams."
    )
    findings = check_unattributed_contested(context(draft))
    assert [f.location.start for f in findings if f.location] == [draft.index("Engineers")]
    attributed = "The city will close the bridge. Holt said engineers found cracks in two beams."
    assert check_unattributed_contested(context(attributed)) == []


def test_ordinal_words_are_numbers() -> None:
    assert [v for _, _, v in numbers_in("its ninth year, not its 10th")] == ["9", "10"]


def test_a_figure_the_sources_use_only_about_something_else_is_a_warning() -> None:
    draft = "The closure of the Elm Street bridge will last two weeks, the city said."
    findings = [f for f in check_unsupported(context(draft)) if "two" in f.message]
    assert [f.severity for f in findings] == ["warning"]
    # Used about the same thing (the beams), the source's figure is fine.
    same = "Holt said engineers found cracks in two support beams of the bridge."
    assert [f for f in check_unsupported(context(same)) if "“two”" in f.message] == []


def test_a_fact_most_sources_carry_is_an_omission_and_says_how_many() -> None:
    c = Article(
        id="c",
        outlet="Daily C",
        text="Traffic on Main Street was slow on Tuesday. A parade is planned for Saturday.",
    )
    findings = check_omission(context("Council member Ray Ortiz criticized it.", [A, B, c]))
    assert findings
    assert all(f.severity == "info" for f in findings)
    assert any(f.message.startswith("2 of 3 sources report this") for f in findings)


def test_excerpt_cuts_at_a_word_with_an_ellipsis_and_drops_outer_quotes() -> None:
    text = "“If it is required, they will be deployed within hours to the border,” he said."
    short = excerpt(text, 40)
    assert short.endswith("…")
    assert short[:-1] == text.strip("“")[: len(short) - 1]
    assert text.strip("“").split()[: len(short[:-1].split())] == short[:-1].split()
    assert not short.startswith("“")
    assert excerpt("short", 40) == "short"


def test_a_title_spelled_out_is_not_a_name_in_no_source() -> None:
    # The sources write "Mayor"; a draft may give a title the sources do not use.
    draft = "Governor Jane Holt said the city would close the Elm Street bridge for repairs."
    assert [f for f in check_unsupported(context(draft)) if "Governor" in f.message] == []
    made_up = "Governor Ann Holt said the city would close the Elm Street bridge for repairs."
    assert [f for f in check_unsupported(context(made_up)) if "“Ann Holt”" in f.message] != []


def test_what_someone_refused_to_say_is_not_attributed_to_them() -> None:
    assert not has_attribution("Holt refused to say whether the bridge was safe")
    assert not has_attribution("Holt did not say whether the bridge was safe")
    assert has_attribution("the council, which has written to the city that the bridge is safe")
    assert has_attribution("The report quotes engineers who found the cracks")


def test_a_speaker_named_with_of_and_an_organisation_governs_the_quotation() -> None:
    sentence = "“We are not taking any chances,” Tom Reed of yFrog said in an interview."
    assert _speakers(sentence) == [{"tom", "reed"}]


def test_a_run_of_he_said_goes_back_to_the_name_it_stands_for() -> None:
    article = Article(
        id="c",
        outlet="Daily C",
        text=(
            "Council member Ray Ortiz, who opposes the closure, said on Monday that the city "
            "acted too fast. He said the mayor was “clearly” in a hurry. He added that the vote "
            "was rushed.\n\n"
            "“Everyone wants a safe bridge,” he told reporters. “The mayor was clearly punishing "
            "my district.”\n\nMost drivers use the Main Street bridge, according to a survey."
        ),
    )
    right = "Ortiz said the mayor was “clearly punishing my district.”"
    assert check_grounding(context(right, [article])) == []
    wrong = "Holt said the mayor was “clearly punishing my district.”"
    assert [f.check for f in check_grounding(context(wrong, [article]))] == ["grounding"]


def test_a_claim_verb_claims_its_that_clause_and_needs_one_plain_sentence_to_be_fact() -> None:
    article = Article(
        id="c",
        outlet="Daily C",
        text=(
            "Ortiz claimed in a recent interview that the repairs were ordered by the mayor, but "
            "the city responded that engineers ordered them. The mayor met engineers on Monday. "
            "The repairs begin in May."
        ),
    )
    draft = "The repairs were ordered by the mayor."
    findings = check_unattributed_contested(context(draft, [article]))
    assert [f.check for f in findings] == ["unattributed_contested"]
    assert (
        check_unattributed_contested(
            context("Ortiz claimed " + draft[0].lower() + draft[1:], [article])
        )
        == []
    )


def _names_in_no_source(draft: str, articles: list[Article]) -> list[str]:
    return [
        f.message
        for f in check_unsupported(context(draft, articles))
        if f.message.startswith("the name")
    ]


def test_a_name_is_compared_whole_and_a_part_of_a_source_name_is_supported() -> None:
    article = Article(
        id="c",
        outlet="Daily C",
        text="Sen. Bob Menendez of New York said the Senate would vote on the bill next week.",
    )
    # "Jersey" is in no source, so the name "New Jersey" is not; it is reported whole.
    draft = "Senator Bob Menendez of New Jersey said the Senate would vote on the bill."
    assert _names_in_no_source(draft, [article]) == ["the name “New Jersey” appears in no source"]
    # A part of a longer name the sources use is theirs.
    assert _names_in_no_source("Menendez said the Senate would vote.", [article]) == []


def test_a_party_and_state_label_names_the_state() -> None:
    article = Article(
        id="c",
        outlet="Daily C",
        text=(
            "“This is very emotional for me,” Rep. Jesse Jackson Jr., D-Ill., said before the "
            "reading. Sen. Bob Menendez, D-NJ, backed him, and Sen. John Cornyn, R-TX, did not. "
            "Democrats cheered."
        ),
    )
    draft = (
        "Representative Jesse Jackson Jr., an Illinois Democrat, spoke before the reading. "
        "Senator Bob Menendez of New Jersey backed him; Senator John Cornyn of Texas did not."
    )
    assert _names_in_no_source(draft, [article]) == []
    # Only the state the label stands for: a draft's other states are still new.
    assert _names_in_no_source("Senator Bob Menendez of Ohio backed him.", [article]) == [
        "the name “Ohio” appears in no source"
    ]


def test_a_speaker_is_a_person_not_a_word_of_an_organisation_name() -> None:
    # A comma inside an organisation's name does not make its last words the speaker.
    sentence = (
        "“They are reading it like a sacred text,” Rep. Jerrold Nadler, D-N.Y., the former "
        "chairman of the subcommittee on the Constitution, Civil Rights and Civil Liberties, "
        "told The Washington Post."
    )
    assert speaker_names(sentence, 0, len(sentence)) == ({"jerrold", "nadler"}, False)
    # The person named before an organisation is the speaker, not its last word.
    sentence = (
        "Max Richtman of the National Committee to Preserve Social Security and Medicare said "
        "AARP did “not speak for seniors.”"
    )
    assert _speakers(sentence) == [{"max", "richtman"}]
    # A subject that opens its clause keeps its name.
    sentence = "In a statement, Smith and Jones, both Democrats, said “no.”"
    assert _speakers(sentence) == [{"jones"}]


def test_a_long_source_compares_each_sentence_only_with_claims_sharing_its_words(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from evenhand.checks import unattributed_contested as module

    # Each filler sentence reports a statement ("said that ..." governs a clause in the parse).
    filler = " ".join(
        f"The clerk said that the depot{n} had stored lumber{n} and copper{n} for the builders{n}."
        for n in range(300)
    )
    source = Article(
        id="l",
        outlet="Long Daily",
        text=filler
        + " Council member Ray Ortiz claimed the repairs were ordered to punish his district.",
    )
    calls: list[object] = []
    restates = module._restates

    def counting(*args: object) -> bool:
        calls.append(args)
        return restates(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(module, "_restates", counting)
    draft = "The repairs were ordered to punish his district."
    findings = check_unattributed_contested(context(draft, [source, B]))
    assert [f.check for f in findings] == ["unattributed_contested"]
    assert len(module.source_claims(context(draft, [source, B]))) > 300
    assert len(calls) < 20


def test_a_weekday_is_not_a_name_that_stands_in_for_a_title() -> None:
    text = (
        "David Axelrod on Wednesday called on Howard Dean to apologize. "
        "“He really should,” the former strategist said."
    )
    names = context_names(text, 0, text.index("“"))
    assert "wednesday" not in names
    assert {"david", "axelrod"} <= names
