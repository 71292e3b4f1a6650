"""The SQLite report cache: where it lives, what its key depends on, stats and clear."""

from __future__ import annotations

from pathlib import Path

import pytest

from evenhand.batch.cache import CACHE_FILE, ReportCache, cache_dir, cache_key
from evenhand.schema import Article

ARTICLES = [Article(id="a", text="One text."), Article(id="b", text="Another text.", outlet="X")]
IDENTITY = {"model": "m1", "prompt_version": "analyze@1", "prompt_hash": "h1", "temperature": ""}


def _key(**changes: object) -> str:
    args: dict[str, object] = {
        "engine": "llm",
        "identity": IDENTITY,
        "articles": ARTICLES,
        "max_words": 130,
        "min_confidence": 0.5,
        "sample": 0,
    }
    args.update(changes)
    return cache_key(**args)  # type: ignore[arg-type]


def test_the_key_changes_with_everything_that_changes_a_report() -> None:
    base = _key()
    assert base == _key()
    variants = [
        _key(engine="offline"),
        _key(identity={**IDENTITY, "model": "m2"}),
        _key(identity={**IDENTITY, "prompt_version": "analyze@2"}),
        _key(identity={**IDENTITY, "prompt_hash": "h2"}),
        _key(identity={**IDENTITY, "temperature": "0.2"}),
        _key(articles=[ARTICLES[0], Article(id="b", text="Another text!", outlet="X")]),
        _key(articles=[ARTICLES[0], Article(id="b", text="Another text.", outlet="Y")]),
        _key(articles=list(reversed(ARTICLES))),
        _key(max_words=100),
        _key(min_confidence=0.3),
        _key(sample=1),
    ]
    assert len({base, *variants}) == len(variants) + 1


def test_the_key_depends_on_the_schema_version(monkeypatch: pytest.MonkeyPatch) -> None:
    base = _key()
    monkeypatch.setattr("evenhand.batch.cache.SCHEMA_VERSION", "99.0")
    assert _key() != base


def test_cache_dir_order_flag_then_environment_then_platform(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EVENHAND_CACHE_DIR", str(tmp_path / "env"))
    assert cache_dir(tmp_path / "flag") == tmp_path / "flag"
    assert cache_dir() == tmp_path / "env"
    monkeypatch.delenv("EVENHAND_CACHE_DIR")
    assert cache_dir().name == "evenhand"


def test_put_get_stats_and_clear(tmp_path: Path) -> None:
    cache = ReportCache(tmp_path / "c")
    assert cache.path == tmp_path / "c" / CACHE_FILE
    assert cache.get("k1") is None
    cache.put(
        "k1",
        '{"r":1}',
        engine="llm",
        model="m1",
        prompt_tokens=10,
        completion_tokens=5,
        cost_usd=0.5,
    )
    cache.put("k2", '{"r":2}', engine="llm", model="m1", prompt_tokens=1, completion_tokens=1)
    assert cache.get("k1") == '{"r":1}'
    assert cache.get("k1") == '{"r":1}'
    stats = cache.stats()
    assert (stats.entries, stats.hits, stats.prompt_tokens, stats.completion_tokens) == (
        2,
        2,
        11,
        6,
    )
    assert stats.cost_usd == pytest.approx(0.5)
    assert stats.by_model == {"llm/m1": 2}
    assert stats.size_bytes > 0
    assert cache.clear() == 2
    assert cache.get("k1") is None
    cache.close()
    # A second connection sees the same (now empty) store.
    again = ReportCache(tmp_path / "c")
    assert again.stats().entries == 0
    again.close()
