"""Who holds a position: the actor behind an allegation or a dispute cue, and which side it is on.

Heuristics over one sentence, no parser:
- a name or capitalised group right before the cue, allowing auxiliaries ("which Belarus has
  rejected", "Ukraine did not recognize") is the actor;
- otherwise the first capitalised run of the clause ("His main political opponent, Sviatlana
  Tsikhanouskaya, rejected ..."), extended by a plural noun after a lone adjective ("Western
  governments").
A dispute cue aimed at the allegation itself ("rejected the allegations", "denied", "dismissed
... as baseless") puts its actor on the defending side; one aimed at a result or an outcome
("rejected the official results", "did not recognize the victory") puts it on the challenging
side, with the people who allege.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ..annotate.cues import Cue, find_cues

Side = Literal["challenges", "defends"]

_CAPITAL_RUN = re.compile(
    r"(?:(?<=\s)|^)((?:[A-Z][\w'’.-]*|of|the)(?:\s+(?:[A-Z][\w'’.-]*|of|the))*)(?:\s+([a-z]{4,}s)\b)?"
)
_SKIP_START_TEXT = """
    The A An His Her Their Its This That These Those It He She They We In On At After Before
    However But And According When While Although Because Meanwhile Also Still
"""
_SKIP_START = frozenset(_SKIP_START_TEXT.split())
_AUXILIARIES = (
    r"(?:\s+(?:has|have|had|did|does|do|would|will|not|also|already|previously|repeatedly|"
    r"since|so\s+far))*\s*$"
)
_ALLEGATION_OBJECT = re.compile(
    r"^\W*(?:\w+\s+){0,4}?(?:the\s+|these\s+|those\s+|such\s+)?(?:\w+\s+)?"
    r"(?:allegations?|claims?|accusations?|charges?|reports?)\b|^\W*(?:\w+\s+){0,3}?as\s+"
    r"(?:baseless|unfounded|false|groundless|lies|fabricated|untrue|nonsense)",
    re.IGNORECASE,
)
_AFTER_ALLEGATION = re.compile(
    r"(?:allegations?|claims?|accusations?|charges?)\W+(?:(?:which|that)\s+)?[^,;.]*$",
    re.IGNORECASE,
)
_NOUN_CUE = re.compile(r"^(?:allegations?|claims?|accusations?)$", re.IGNORECASE)
# A noun cue has an actor only when someone is making the allegation ("repeating the allegations").
_MAKING = re.compile(
    r"\b(?:repeat\w*|ma[dk]e|making|level\w*|rais\w*|echo\w*|voic\w*|back\w*|push\w*|"
    r"spread\w*|amplif\w*)\s+(?:the\s+|these\s+|those\s+|such\s+|similar\s+)?(?:\w+\s+)?$",
    re.IGNORECASE,
)


_NOT_SUBJECT = frozenset({"report", "reports", "move", "decision", "result", "results", "claim"})


@dataclass(frozen=True)
class Actor:
    name: str
    side: Side
    cue: Cue


def _clean_run(run: str) -> str:
    words = run.split()
    while words and (words[0] in _SKIP_START or words[0] in {"of", "the"}):
        words = words[1:]
    while words and words[-1] in {"of", "the"}:
        words = words[:-1]
    return " ".join(words).rstrip(",.;:").removesuffix("’s").removesuffix("'s")


def actor_before(sentence: str, cue_start: int) -> str | None:
    """The actor of the cue starting at `cue_start`, or None when none can be told."""
    clause_start = max(sentence.rfind(";", 0, cue_start), 0)
    before = sentence[clause_start:cue_start]
    # "which Belarus has rejected", "Ukraine did not recognize": a name right before the verb.
    stripped = re.sub(_AUXILIARIES, "", before)
    m = re.search(r"([A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*)\s*$", stripped)
    if m:
        name = _clean_run(m.group(1))
        if name:
            return name
    # "The electoral commission rejected ...": a short common-noun subject at the clause start.
    m = re.match(r"^\W*(?:The|the)\s+((?:[a-z][\w-]*\s+){0,2}[a-z][\w-]*)$", stripped.strip())
    if m and m.group(1).split()[-1] not in _NOT_SUBJECT:
        return "the " + m.group(1)
    for m in _CAPITAL_RUN.finditer(before):
        name = _clean_run(m.group(1))
        if not name:
            continue
        if m.group(2) and len(name.split()) == 1:
            name = f"{name} {m.group(2)}"
        return name
    return None


def side_of(sentence: str, cue: Cue) -> Side:
    if cue.kind in {"allegation"}:
        return "challenges"
    after = sentence[cue.end :]
    before = sentence[: cue.start]
    if _ALLEGATION_OBJECT.search(after) or _AFTER_ALLEGATION.search(before):
        return "defends"
    if re.match(r"^\W*(?:\w+\s+){0,2}?(?:that|the\s+claim|the\s+allegation|it)\b", after):
        return "defends"
    return "challenges"


def side_cues(sentence: str) -> list[Cue]:
    """The allegation and dispute cues of one sentence that someone takes a side with: a noun
    ("allegations") counts only when someone is making it ("repeating the allegations")."""
    return [
        cue
        for cue in find_cues(sentence)
        if cue.kind in {"allegation", "dispute"}
        and not (_NOUN_CUE.match(cue.text) and not _MAKING.search(sentence[: cue.start]))
    ]


def sentence_actors(sentence: str) -> list[Actor]:
    """Actors of the allegation and dispute cues in one sentence, in order, one per name."""
    actors: list[Actor] = []
    seen: set[str] = set()
    for cue in side_cues(sentence):
        name = actor_before(sentence, cue.start)
        if name is None or name in seen:
            continue
        seen.add(name)
        actors.append(Actor(name, side_of(sentence, cue), cue))
    return actors
