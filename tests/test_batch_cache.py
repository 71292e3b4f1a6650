"""The SQLite report cache: where it lives, what its key depends on, stats and clear, its size
limit and expiry."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from evenhand.batch.cache import (
    CACHE_FILE,
    DEFAULT_MAX_AGE_DAYS,
    DEFAULT_MAX_MB,
    ReportCache,
    cache_dir,
    cache_key,
)
from evenhand.errors import ConfigError
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


# --- size limit and expiry ------------------------------------------------------------------------


class Clock:
    """Seconds since the epoch that a test moves by hand."""

    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


def _put(cache: ReportCache, key: str, size: int = 300) -> None:
    cache.put(key, "x" * size, engine="llm", model="m1")


def test_filling_beyond_the_size_limit_evicts_the_oldest(tmp_path: Path) -> None:
    clock = Clock()
    cache = ReportCache(tmp_path, max_mb=0.001, clock=clock)  # 1,000 bytes: three reports of 300
    for key in ["k1", "k2", "k3", "k4", "k5"]:
        clock.now += 1
        _put(cache, key)
    assert [k for k in ["k1", "k2", "k3", "k4", "k5"] if cache.get(k)] == ["k3", "k4", "k5"]
    cache.close()


def test_a_report_read_recently_is_kept_over_an_older_one(tmp_path: Path) -> None:
    clock = Clock()
    cache = ReportCache(tmp_path, max_mb=0.001, clock=clock)
    for key in ["k1", "k2", "k3"]:
        clock.now += 1
        _put(cache, key)
    clock.now += 1
    assert cache.get("k1") is not None  # k1 is now the most recently used
    clock.now += 1
    _put(cache, "k4")
    assert cache.get("k2") is None
    assert all(cache.get(k) for k in ["k1", "k3", "k4"])
    assert cache.stats().entries == 3
    cache.close()


def test_an_expired_entry_is_a_miss(tmp_path: Path) -> None:
    clock = Clock()
    cache = ReportCache(tmp_path, max_age_days=30, clock=clock)
    _put(cache, "old")
    clock.now += 29 * 86_400
    _put(cache, "new")
    assert cache.get("old") is not None  # 29 days: still fresh, and reading it does not renew it
    clock.now += 2 * 86_400
    assert cache.get("old") is None
    assert cache.get("new") is not None
    assert cache.stats().entries == 1  # the expired entry is gone, not only hidden
    cache.close()


def test_zero_turns_a_limit_off(tmp_path: Path) -> None:
    clock = Clock()
    cache = ReportCache(tmp_path, max_age_days=0, max_mb=0, clock=clock)
    for index in range(5):
        _put(cache, f"k{index}", size=100_000)
    clock.now += 10 * 365 * 86_400
    assert cache.stats().entries == 5
    assert cache.get("k0") is not None
    cache.close()


def test_limits_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVENHAND_CACHE_MAX_DAYS", "7")
    monkeypatch.setenv("EVENHAND_CACHE_MAX_MB", "1.5")
    cache = ReportCache(tmp_path)
    assert (cache.max_age_seconds, cache.max_bytes) == (7 * 86_400, 1_500_000)
    cache.close()
    monkeypatch.delenv("EVENHAND_CACHE_MAX_DAYS")
    monkeypatch.delenv("EVENHAND_CACHE_MAX_MB")
    cache = ReportCache(tmp_path)
    assert (cache.max_age_seconds, cache.max_bytes) == (
        DEFAULT_MAX_AGE_DAYS * 86_400,
        DEFAULT_MAX_MB * 1_000_000,
    )
    cache.close()
    monkeypatch.setenv("EVENHAND_CACHE_MAX_MB", "lots")
    with pytest.raises(ConfigError, match=r"\$EVENHAND_CACHE_MAX_MB must be a number"):
        ReportCache(tmp_path)


def test_a_cache_written_before_the_limits_still_opens(tmp_path: Path) -> None:
    old = sqlite3.connect(tmp_path / CACHE_FILE)
    old.execute(
        "CREATE TABLE reports (key TEXT PRIMARY KEY, engine TEXT NOT NULL, model TEXT,"
        " report TEXT NOT NULL, prompt_tokens INTEGER NOT NULL DEFAULT 0,"
        " completion_tokens INTEGER NOT NULL DEFAULT 0, cost_usd REAL,"
        " created_at REAL NOT NULL, hits INTEGER NOT NULL DEFAULT 0)"
    )
    old.execute(
        "INSERT INTO reports (key, engine, model, report, created_at) VALUES (?, ?, ?, ?, ?)",
        ("k", "llm", "m1", "é" * 100, 1_700_000_000.0),
    )
    old.commit()
    old.close()
    clock = Clock()
    cache = ReportCache(tmp_path, max_mb=0.001, clock=clock)
    assert cache.get("k") == "é" * 100
    for key in ["a", "b", "c"]:  # 900 bytes more: the old entry (200 bytes) no longer fits
        clock.now += 1
        _put(cache, key)
    assert cache.get("k") is None
    cache.close()
