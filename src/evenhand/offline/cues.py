"""The cue lists are linguistic facts and live in the annotation layer (`annotate.cues`); offline
modules that have not moved to that name yet import them from here."""

from ..annotate.cues import Cue, CueKind, cue_kinds, find_cues, has_attribution, is_contentious

__all__ = ["Cue", "CueKind", "cue_kinds", "find_cues", "has_attribution", "is_contentious"]
