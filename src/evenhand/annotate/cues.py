"""Attribution and dispute cues: who says what, who denies it, and who vouches for nothing.

Cue kinds:
- `report`: a neutral verb of saying or a source attribution ("said", "told", "according to");
- `allegation`: an accusation or claim ("alleged", "claimed", "accused", "allegations");
- `dispute`: a denial or rejection ("denied", "rejected", "dismissed ... as", "did not recognise");
- `unsupported`: a verdict on evidence ("without evidence", "baseless", "unproven").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

CueKind = Literal["report", "allegation", "dispute", "unsupported"]


def _words(pattern: str) -> str:
    return r"\b(?:" + pattern + r")\b"


_PATTERNS: dict[CueKind, re.Pattern[str]] = {
    "report": re.compile(
        _words(
            r"said|says|say|told|tells|stated|states|announced|announces|added|explained|noted|"
            r"wrote|writes|tweeted|reported|reports|according to|declared|remarked|argued|argues|"
            r"warned|warns|stressed|insisted|assured|confirmed|acknowledged|testified"
        ),
        re.IGNORECASE,
    ),
    "allegation": re.compile(
        _words(
            r"alleged|alleges|allege|allegedly|allegations?|claimed|claims|claim|claiming|accused|"
            r"accuses|accuse|accusations?|charged that|contended|asserted|insisted"
        ),
        re.IGNORECASE,
    ),
    "dispute": re.compile(
        _words(
            r"denied|denies|deny|denying|denial|rejected|rejects|reject|rejecting|disputed|"
            r"disputes|dispute|refuted|refutes|dismissed|dismisses|contested|contests|"
            r"(?:did|does|do|has|have|had|would|will)\s+not\s+recogni[sz]e|refused\s+to\s+recogni[sz]e|"
            r"not\s+recogni[sz]ed?|disavowed|countered|rebuffed|contradicted|challenged"
        ),
        re.IGNORECASE,
    ),
    "unsupported": re.compile(
        _words(
            r"without\s+(?:providing\s+|offering\s+|presenting\s+|citing\s+|giving\s+)?(?:any\s+)?"
            r"(?:evidence|proof)|baseless|groundless|unfounded|unproven|unsubstantiated|"
            r"no\s+evidence"
        ),
        re.IGNORECASE,
    ),
}


@dataclass(frozen=True)
class Cue:
    kind: CueKind
    start: int
    end: int
    text: str


def find_cues(text: str) -> list[Cue]:
    """Every cue in `text`, in order of position (a phrase may count as more than one kind)."""
    cues = [
        Cue(kind, m.start(), m.end(), m.group())
        for kind, pattern in _PATTERNS.items()
        for m in pattern.finditer(text)
    ]
    cues.sort(key=lambda c: (c.start, c.kind))
    return cues


def cue_kinds(text: str) -> set[CueKind]:
    return {c.kind for c in find_cues(text)}


def has_attribution(text: str) -> bool:
    """True when a sentence says who says it (a report verb or an "according to")."""
    return _PATTERNS["report"].search(text) is not None
