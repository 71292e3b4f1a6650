"""Recorded model responses: the pytest-recording configuration (loaded from tests/conftest.py).

- Record mode is `none` unless `--record-mode=once` is given; with it, a test records a real
  response when `EVENHAND_RECORD_API_KEY` (and optionally `EVENHAND_RECORD_BASE_URL`) point at a
  real service (add `--force-enable-socket`, since the network is otherwise off).
- Matching, decoding, the readable YAML format and the filtering of keys and account headers are
  the product's own (`evenhand.llm.recording`), shared with `evenhand eval --record`.
"""

from __future__ import annotations

from typing import Any

import pytest

from evenhand.llm.recording import ReadableYAML, vcr_options


def pytest_recording_configure(config: pytest.Config, vcr: Any) -> None:
    vcr.register_serializer("yaml", ReadableYAML)


@pytest.fixture
def vcr_config() -> dict[str, Any]:
    return vcr_options()
