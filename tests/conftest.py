"""Shared fixtures. The network is off (pytest-socket, see pyproject addopts); configuration
points at temporary directories; no real key is ever present."""

from __future__ import annotations

from pathlib import Path

import pytest

from evenhand.data import example_paths

# Recorded model responses: vcr_config and the readable cassette format (tests/llm_conftest.py).
pytest_plugins = ["llm_conftest"]

REPO = Path(__file__).resolve().parents[1]
EVAL_DATA = REPO / "evals" / "data"


@pytest.fixture(autouse=True)
def _isolated_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_ORG_ID", "EVENHAND_MODEL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("EVENHAND_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.setenv("NO_COLOR", "1")


@pytest.fixture
def example_files() -> list[Path]:
    """The bundled example: source-a.txt and source-b.txt."""
    return example_paths()
