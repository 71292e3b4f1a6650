"""US states named in party-and-state labels: "Rep. Jesse Jackson Jr., D-Ill.", "Sen. Bob
Menendez, D-NJ", "(D-Penn)". A source that writes the label names the state as surely as one that
spells it out, so a draft that says "an Illinois Democrat" is not adding a name of its own."""

from __future__ import annotations

import re

# Abbreviations newspapers use after the party letter (periods dropped, lower-cased): AP style,
# older forms and postal codes.
_ABBREVIATIONS: dict[str, str] = {
    "Alabama": "ala al",
    "Alaska": "ak",
    "Arizona": "ariz az",
    "Arkansas": "ark ar",
    "California": "calif cal ca",
    "Colorado": "colo col co",
    "Connecticut": "conn ct",
    "Delaware": "del de",
    "Florida": "fla fl",
    "Georgia": "ga",
    "Hawaii": "hi",
    "Idaho": "id",
    "Illinois": "ill il",
    "Indiana": "ind in",
    "Iowa": "ia",
    "Kansas": "kan kans ks",
    "Kentucky": "ky",
    "Louisiana": "la",
    "Maine": "me",
    "Maryland": "md",
    "Massachusetts": "mass ma",
    "Michigan": "mich mi",
    "Minnesota": "minn mn",
    "Mississippi": "miss ms",
    "Missouri": "mo",
    "Montana": "mont mt",
    "Nebraska": "neb nebr ne",
    "Nevada": "nev nv",
    "New Hampshire": "nh",
    "New Jersey": "nj",
    "New Mexico": "nm",
    "New York": "ny",
    "North Carolina": "nc",
    "North Dakota": "nd",
    "Ohio": "oh",
    "Oklahoma": "okla ok",
    "Oregon": "ore or",
    "Pennsylvania": "pa penn penna",
    "Rhode Island": "ri",
    "South Carolina": "sc",
    "South Dakota": "sd",
    "Tennessee": "tenn tn",
    "Texas": "tex tx",
    "Utah": "ut",
    "Vermont": "vt",
    "Virginia": "va",
    "Washington": "wash wa",
    "West Virginia": "wva wv",
    "Wisconsin": "wis wisc wi",
    "Wyoming": "wyo wy",
}
_STATE = {abbr: state for state, abbrs in _ABBREVIATIONS.items() for abbr in abbrs.split()}
# The party letter, a hyphen and the state, not inside a longer word ("D-N.J.", "R-TX", "I-Vt.").
_LABEL = re.compile(r"(?<![\w-])[RDI]-([A-Z][A-Za-z.]{0,6})(?![\w-])")


def label_states(text: str) -> list[str]:
    """The state names the party-and-state labels in `text` stand for, in order."""
    found = []
    for m in _LABEL.finditer(text):
        state = _STATE.get(m.group(1).replace(".", "").lower())
        if state is not None:
            found.append(state)
    return found
