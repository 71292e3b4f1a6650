"""Offline token counting, the model table, budgets, chunking and cost."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import tiktoken

from evenhand.data import DATA_DIR
from evenhand.errors import ConfigError
from evenhand.token_count import (
    SAFETY_MARGIN,
    chunk_text,
    count_messages,
    count_tokens,
    default_model,
    estimate_cost,
    get_encoding,
    load_ranks,
    model_info,
    output_cap,
    prompt_budget,
)


def test_encodings_load_from_the_shipped_files_and_count_known_values() -> None:
    # Reference ids of the official encodings (tiktoken's own documentation and tests).
    assert get_encoding("cl100k_base").encode("hello world") == [15339, 1917]
    assert get_encoding("o200k_base").encode("hello world") == [24912, 2375]
    text = "Lukashenko said: “If it is necessary, we will not hesitate.” Ça va? 123456"
    assert get_encoding("o200k_base").decode(get_encoding("o200k_base").encode(text)) == text


def test_special_token_text_in_an_article_is_counted_as_text() -> None:
    assert count_tokens("a <|endoftext|> b") > 3


def test_a_corrupt_rank_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path / "tiktoken-cache"))
    source = DATA_DIR / "tiktoken" / "cl100k_base.tiktoken"
    raw = source.read_bytes()
    (tmp_path / "cl100k_base.tiktoken").write_bytes(raw[:-10] + b"AAAA 99\n")
    with pytest.raises(ConfigError, match="corrupt"):
        load_ranks("cl100k_base", tmp_path)
    shutil.copy(source, tmp_path / "cl100k_base.tiktoken")
    assert len(load_ranks("cl100k_base", tmp_path)) > 100_000
    with pytest.raises(ConfigError, match="unknown encoding"):
        load_ranks("p50k_base")
    with pytest.raises(ConfigError, match="cannot read the token file"):
        load_ranks("o200k_base", tmp_path)


def test_a_tampered_copy_in_tiktokens_cache_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # tiktoken's loader keeps a copy of the file it read and prefers it next time, after
    # checking its hash: a changed copy is dropped and the shipped file read again.
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path))
    expected = load_ranks("cl100k_base")
    [copy] = [p for p in tmp_path.iterdir() if p.is_file()]
    copy.write_bytes(b"IQ== 0\n")
    assert load_ranks("cl100k_base") == expected


@pytest.mark.parametrize("name", ["o200k_base", "cl100k_base"])
def test_patterns_and_special_tokens_are_tiktokens_own(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # tiktoken defines them only inside functions that download the rank files: here those
    # functions are given the shipped ranks instead, and what they return is compared.
    from tiktoken_ext import openai_public  # type: ignore[import-untyped]

    monkeypatch.setattr(openai_public, "load_tiktoken_bpe", lambda *a, **k: load_ranks(name))
    official = getattr(openai_public, name)()
    ours = get_encoding(name)
    assert ours._pat_str == official["pat_str"]
    assert ours._special_tokens == official["special_tokens"]
    assert ours.n_vocab == tiktoken.Encoding(**official).n_vocab


def test_message_count_includes_the_chat_overhead() -> None:
    messages = [{"role": "system", "content": "Be neutral."}, {"role": "user", "content": "Hi"}]
    bare = count_tokens("Be neutral.") + count_tokens("Hi")
    assert count_messages(messages) == bare + 2 * 3 + 3 + count_tokens("system") + count_tokens(
        "user"
    )


def test_model_table_default_snapshots_and_unknown_models() -> None:
    default = model_info(default_model())
    assert default.known
    assert default.input_price is not None
    assert default.context_window >= 128_000
    snapshot = model_info("gpt-4.1-mini-2025-04-14")
    assert (snapshot.known, snapshot.input_price) == (True, model_info("gpt-4.1-mini").input_price)
    local = model_info("llama3.1:8b")
    assert not local.known
    assert local.input_price is None
    assert estimate_cost(local, 1000, 1000) is None


def test_cost_budget_and_output_cap() -> None:
    info = model_info("gpt-4.1-mini")
    assert estimate_cost(info, 1_000_000, 0) == pytest.approx(0.40)
    assert estimate_cost(info, 1_000_000, 1_000_000, cached_tokens=1_000_000) == pytest.approx(
        0.10 + 1.60
    )
    small = model_info("gpt-3.5-turbo")
    assert output_cap(small, 6000) == 4096
    assert prompt_budget(small, 4096) == 16385 - 4096 - SAFETY_MARGIN


def test_chunks_are_whole_sentences_within_the_limit() -> None:
    sentences = [
        f"Sentence number {i} reports what officials said about the vote." for i in range(60)
    ]
    text = " ".join(sentences)
    chunks = chunk_text(text, 100)
    assert len(chunks) > 3
    assert all(count_tokens(text[s:e]) <= 100 for s, e in chunks)
    rebuilt = " ".join(text[s:e] for s, e in chunks)
    assert rebuilt == text
    assert all(text[s:e].startswith("Sentence") and text[s:e].endswith(".") for s, e in chunks)


def test_a_sentence_longer_than_the_limit_is_cut_at_words() -> None:
    text = " ".join(f"word{i}" for i in range(400))
    chunks = chunk_text(text, 50)
    assert len(chunks) > 4
    assert all(count_tokens(text[s:e]) <= 50 for s, e in chunks)
    assert " ".join(text[s:e] for s, e in chunks) == text
