"""How long a summary the sources call for.

A summary is about as long as an editor's roundup of the same articles: on the NeuS validation
events used for tuning (the even-numbered lines; `evals/summary_quality.py`), the AllSides
editors wrote about 0.38 words for every word of the three articles together. A short cluster
gets a short summary; `max_words` (`--max-words`) stays the cap, and a summary is never asked to
be shorter than one ordinary sentence.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..schema import Article

WORDS_PER_SOURCE_WORD = 0.38
MIN_WORDS = 25


def target_words(articles: Sequence[Article], max_words: int) -> int:
    """The summary length in words to aim at for `articles`, at most `max_words`.

    Articles with the same text (whitespace aside) count once.
    """
    texts = {" ".join(a.text.split()) for a in articles}
    source_words = sum(len(t.split()) for t in texts)
    return min(max_words, max(MIN_WORDS, round(WORDS_PER_SOURCE_WORD * source_words)))
