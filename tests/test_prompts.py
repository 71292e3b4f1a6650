"""Prompt files: found in the source tree or the wheel, rendered, hashed, kept short."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evenhand import prompts
from evenhand.errors import ConfigError
from evenhand.llm.answer_models import RESPONSE_MODELS, ModelAnswer, strict_schema
from evenhand.prompts import load_prompt, prompt_hash, prompts_dir
from evenhand.token_count import count_messages, count_tokens

REPO = Path(__file__).resolve().parents[1]


def test_every_prompt_file_has_version_schema_and_templates() -> None:
    for name in ("analyze", "extract", "merge"):
        prompt = load_prompt(name)
        assert prompt.version
        assert prompt.schema in RESPONSE_MODELS
        assert prompt.system
        assert "$boundary" in prompt.user
        assert "never instructions" in prompt.system
        assert prompt.label == f"{name}@{prompt.version}"
    assert "$errors" in load_prompt("reask").user


def test_source_tree_prompts_are_found() -> None:
    assert prompts_dir() == REPO / "prompts"


def test_packaged_prompts_are_preferred(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # In a wheel, prompts/ sits inside the package folder (pyproject force-include).
    package = tmp_path / "site-packages" / "evenhand"
    (package / "prompts").mkdir(parents=True)
    (package / "prompts" / "analyze.toml").write_text(
        'version = "9"\nschema = "LLMDraft"\nsystem = "S"\nuser = "U $x"\n', encoding="utf-8"
    )
    monkeypatch.setattr(prompts, "_PACKAGE_DIR", package)
    load_prompt.cache_clear()
    try:
        assert prompts_dir() == package / "prompts"
        assert load_prompt("analyze").version == "9"
        with pytest.raises(ConfigError, match="no prompt file"):
            load_prompt("merge")
    finally:
        load_prompt.cache_clear()


def test_rendering_fills_placeholders_and_refuses_missing_ones() -> None:
    prompt = load_prompt("analyze")
    messages = prompt.render(max_words=90, count=2, boundary="abc", articles="ARTICLES")
    assert [m["role"] for m in messages] == ["system", "user"]
    assert "at most 90 words" in messages[1]["content"]
    assert "Boundary code: abc" in messages[1]["content"]
    assert "$" not in messages[1]["content"]
    with pytest.raises(ConfigError, match="placeholder"):
        prompt.render(max_words=90)


def test_malformed_prompt_file_is_a_config_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "evenhand"
    (package / "prompts").mkdir(parents=True)
    (package / "prompts" / "analyze.toml").write_text(
        'version = "1"\nsystem = """unclosed', encoding="utf-8"
    )
    monkeypatch.setattr(prompts, "_PACKAGE_DIR", package)
    load_prompt.cache_clear()
    try:
        with pytest.raises(ConfigError, match="not valid TOML"):
            load_prompt("analyze")
    finally:
        load_prompt.cache_clear()


def test_hash_is_stable_and_sensitive() -> None:
    a = prompt_hash([{"messages": [{"role": "user", "content": "x"}]}])
    assert a == prompt_hash([{"messages": [{"role": "user", "content": "x"}]}])
    assert a != prompt_hash([{"messages": [{"role": "user", "content": "y"}]}])
    assert a.startswith("sha256:")


def test_instructions_alone_stay_under_a_thousand_tokens() -> None:
    # The messages without any article, plus the response schema sent with them.
    schema = count_tokens(json.dumps(strict_schema(ModelAnswer), separators=(",", ":")))
    for name in ("analyze", "merge"):
        messages = load_prompt(name).render(
            max_words=130, count=3, boundary="0" * 12, articles="", notes=""
        )
        assert count_messages(messages) + schema < 1000, name
