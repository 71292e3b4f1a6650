"""The annotated document: one per article, every layer with character offsets into its text.

`annotate(article)` runs spaCy's small English pipeline (sentences, tokens, lemmas, POS, named
entities, the dependency parse) and the quote regions; later layers (loaded-language scores from
the shipped tagger) are added by their own modules and cached on the document. Engines, grounding
and checks read these layers instead of re-deriving linguistics.
"""

from .document import AnnotatedDoc, Entity, Sentence, Token, annotate, annotate_all
from .spacy_pipeline import SPACY_MODEL, SPACY_MODEL_VERSION, load_pipeline
from .warm import warm_up

__all__ = [
    "SPACY_MODEL",
    "SPACY_MODEL_VERSION",
    "AnnotatedDoc",
    "Entity",
    "Sentence",
    "Token",
    "annotate",
    "annotate_all",
    "load_pipeline",
    "warm_up",
]
