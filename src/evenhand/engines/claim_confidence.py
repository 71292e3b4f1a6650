"""How sure a report is of one contested claim: the same score for every engine.

This is a heuristic score, not a calibrated probability: a logistic function of what the claim's
structure shows, with weights set by hand (no labelled claims have been scored against it yet).
It rises with the number of outlets that carry the claim, when actors are found on both sides
(someone holds it and someone rejects it), when the claim's holders or disputers are named at all
and when an outlet takes a side in its own voice; a claim one outlet alone makes (`one_sided`)
starts lower, a difference of labels (`framing`) a little higher, and a claim left without located
evidence (`unsupported`) is scored low whatever else it has.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from ..schema import ActorPosition, ClaimKind, Position

_BIAS = -1.0
_PER_EXTRA_OUTLET = 0.7
_BOTH_SIDES = 1.2
_NAMED_ACTORS = 0.4
_OWN_VOICE = 0.3
_KIND_BIAS: dict[str, float] = {"disputed": 0.0, "framing": 0.3, "one_sided": -0.6}
_UNSUPPORTED = 0.1


def claim_confidence(
    kind: ClaimKind, actors: Sequence[ActorPosition], positions: Sequence[Position]
) -> float:
    """A heuristic score (0-1) that the sources contest this claim as the report describes it."""
    if kind == "unsupported":
        return _UNSUPPORTED
    carrying = len({p.article_id for p in positions if p.stance != "omits" and p.evidence})
    stances = {a.stance for a in actors}
    z = _BIAS + _KIND_BIAS.get(kind, 0.0)
    z += _PER_EXTRA_OUTLET * max(carrying - 1, 0)
    z += _BOTH_SIDES * (stances == {"asserts", "disputes"})
    z += _NAMED_ACTORS * any(a.kind != "outlet" for a in actors)
    z += _OWN_VOICE * any(p.stance in {"asserts", "disputes"} for p in positions)
    return round(1.0 / (1.0 + math.exp(-z)), 2)
