"""Token counting, budgets, chunking and cost, all offline.

The tiktoken encodings are built from the official BPE rank files shipped in
`evenhand/data/tiktoken/*.tiktoken` (see data/PROVENANCE.md), read by tiktoken's own loader,
`tiktoken.load.load_tiktoken_bpe`, which also checks their SHA-256; so counting never downloads
anything. That loader keeps a copy of what it reads in tiktoken's cache folder
(`$TIKTOKEN_CACHE_DIR`, else `data-gym-cache` in the temporary folder) and reads the copy next
time, after checking its hash again. The model table (`data/models.json`) gives each model's
encoding, context window, output limit and price.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from .data import DATA_DIR
from .errors import ConfigError
from .text import split_sentences

if TYPE_CHECKING:
    import tiktoken

# SHA-256 of the rank files: the hashes tiktoken itself pins for these encodings.
ENCODING_SHA256 = {
    "o200k_base": "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
    "cl100k_base": "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
}

# The split patterns of these encodings, as tiktoken_ext.openai_public defines them. They are
# copied because tiktoken has no public constant for them: openai_public writes them inside
# `cl100k_base()` and `o200k_base()`, which download the rank files (its only module-level
# pattern is GPT-2's `r50k_pat_str`). A test compares these with what those functions return.
_O200K_PAT = "|".join(
    [
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""\p{N}{1,3}""",
        r""" ?[^\s\p{L}\p{N}]+[\r\n/]*""",
        r"""\s*[\r\n]+""",
        r"""\s+(?!\S)""",
        r"""\s+""",
    ]
)
_CL100K_PAT = (
    r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+"""
    r"""|\s++$|\s*[\r\n]|\s+(?!\S)|\s"""
)
# The special tokens of these encodings, as tiktoken_ext.openai_public defines them (there too
# only inside the functions that download).
_SPECIALS = {
    "o200k_base": (_O200K_PAT, {"<|endoftext|>": 199999, "<|endofprompt|>": 200018}),
    "cl100k_base": (
        _CL100K_PAT,
        {
            "<|endoftext|>": 100257,
            "<|fim_prefix|>": 100258,
            "<|fim_middle|>": 100259,
            "<|fim_suffix|>": 100260,
            "<|endofprompt|>": 100276,
        },
    ),
}

# Chat formatting overhead, as documented in OpenAI's token-counting guide: a few tokens per
# message for the role markers, and a few more that prime the reply.
TOKENS_PER_MESSAGE = 3
TOKENS_REPLY_PRIMING = 3
# Headroom kept free below the context window: the server's own formatting of the response schema
# is not public, so the schema is counted as plain JSON and this margin covers the difference.
SAFETY_MARGIN = 512


def load_ranks(name: str, folder: Path | None = None) -> dict[bytes, int]:
    """The BPE ranks of encoding `name` from the shipped file, through tiktoken's loader, which
    checks the file's SHA-256."""
    from tiktoken.load import load_tiktoken_bpe

    expected = ENCODING_SHA256.get(name)
    if expected is None:
        raise ConfigError(f"unknown encoding {name!r}: choose one of {', '.join(ENCODING_SHA256)}")
    path = (folder or DATA_DIR / "tiktoken") / f"{name}.tiktoken"
    try:
        return load_tiktoken_bpe(str(path), expected_hash=expected)
    except OSError as exc:
        raise ConfigError(f"cannot read the token file {path}: {exc}; reinstall evenhand") from exc
    except ValueError as exc:  # a hash that does not match, or a line that does not parse
        raise ConfigError(
            f"the token file {path.name} is corrupt (its SHA-256 is not {expected[:12]}..., "
            "the hash tiktoken pins); reinstall evenhand"
        ) from exc


@cache
def get_encoding(name: str) -> tiktoken.Encoding:
    """A tiktoken `Encoding` built from the shipped rank file (no network)."""
    import tiktoken

    pattern, specials = _SPECIALS.get(name, ("", {}))
    ranks = load_ranks(name)
    return tiktoken.Encoding(
        name=f"evenhand-{name}", pat_str=pattern, mergeable_ranks=ranks, special_tokens=specials
    )


def count_tokens(text: str, encoding: str = "o200k_base") -> int:
    # disallowed_special=() : an article quoting "<|endoftext|>" is text, not a control token.
    return len(get_encoding(encoding).encode(text, disallowed_special=()))


def count_messages(messages: Sequence[Mapping[str, str]], encoding: str = "o200k_base") -> int:
    """Prompt tokens of chat messages, including the per-message formatting overhead."""
    total = TOKENS_REPLY_PRIMING
    for message in messages:
        total += TOKENS_PER_MESSAGE + count_tokens(message["content"], encoding)
        total += count_tokens(message["role"], encoding)
    return total


# --- the model table ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ModelInfo:
    name: str
    known: bool
    input_price: float | None  # USD per 1M tokens
    cached_input_price: float | None
    output_price: float | None
    context_window: int
    max_output: int
    encoding: str


@cache
def model_table() -> dict[str, object]:
    data: dict[str, object] = json.loads((DATA_DIR / "models.json").read_text(encoding="utf-8"))
    return data


def default_model() -> str:
    return str(model_table()["default_model"])


def model_info(model: str) -> ModelInfo:
    """The table entry for `model`; a dated snapshot (`gpt-4.1-mini-2025-04-14`) uses its family."""
    models = model_table()["models"]
    assert isinstance(models, dict)
    key = model if model in models else None
    if key is None:
        prefixes = [k for k in models if k != "unknown" and model.startswith(k + "-")]
        key = max(prefixes, key=len) if prefixes else "unknown"
    entry = models[key]
    return ModelInfo(
        name=model,
        known=key != "unknown",
        input_price=entry["input"],
        cached_input_price=entry["cached_input"],
        output_price=entry["output"],
        context_window=int(entry["context_window"]),
        max_output=int(entry["max_output"]),
        encoding=str(entry["encoding"]),
    )


def prices_checked() -> str:
    return str(model_table()["checked"])


def output_cap(info: ModelInfo, wanted: int) -> int:
    """The output limit sent with a call: what the step needs, within the model's maximum."""
    return min(wanted, info.max_output)


def prompt_budget(info: ModelInfo, cap: int) -> int:
    """The most prompt tokens a call may use, leaving room for the answer and a margin."""
    return max(0, info.context_window - cap - SAFETY_MARGIN)


def estimate_cost(
    info: ModelInfo, prompt_tokens: int, completion_tokens: int, cached_tokens: int = 0
) -> float | None:
    """Estimated USD cost of a call, or None when the model's price is not known."""
    if info.input_price is None or info.output_price is None:
        return None
    cached_price = (
        info.cached_input_price if info.cached_input_price is not None else info.input_price
    )
    uncached = max(0, prompt_tokens - cached_tokens)
    cost = (
        uncached * info.input_price
        + cached_tokens * cached_price
        + completion_tokens * info.output_price
    ) / 1_000_000
    return round(cost, 6)


# --- chunking ----------------------------------------------------------------------------------


def chunk_text(text: str, max_tokens: int, encoding: str = "o200k_base") -> list[tuple[int, int]]:
    """Split `text` into consecutive ranges of whole sentences, each within `max_tokens`.

    A single sentence longer than the limit is cut at word boundaries. Offsets index `text`, so
    quotes found in a chunk are still located in the whole article.
    """
    if max_tokens <= 0:
        raise ValueError("max_tokens must be positive")
    pieces: list[tuple[int, int, int]] = []
    for sentence in split_sentences(text) or []:
        n = count_tokens(sentence.text, encoding)
        if n <= max_tokens:
            pieces.append((sentence.start, sentence.end, n))
            continue
        pieces.extend(_split_long(text, sentence.start, sentence.end, max_tokens, encoding))
    chunks: list[tuple[int, int]] = []
    start: int | None = None
    end = 0
    used = 0
    for p_start, p_end, n in pieces:
        if start is not None and used + n + 1 > max_tokens:
            chunks.append((start, end))
            start, used = None, 0
        if start is None:
            start = p_start
        end = p_end
        used += n + 1  # the separator between sentences
    if start is not None:
        chunks.append((start, end))
    return chunks


def _split_long(
    text: str, start: int, end: int, max_tokens: int, encoding: str
) -> list[tuple[int, int, int]]:
    out: list[tuple[int, int, int]] = []
    piece_start = start
    words = text[start:end].split(" ")
    pos = start
    used = 0
    for word in words:
        n = count_tokens(" " + word, encoding)
        if used and used + n > max_tokens:
            out.append((piece_start, pos - 1, used))
            piece_start, used = pos, 0
        used += n
        pos += len(word) + 1
    out.append((piece_start, end, used))
    return out
