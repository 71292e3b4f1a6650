"""The report cache: SQLite in the user's cache folder, so the same call is never paid for twice.

The key is a SHA-256 over everything that can change a report: engine, model, prompt version and
hash, schema version, the engine's settings, the input's hash, the loaded-term threshold and the
sample index. A hit returns the stored report and makes no call.

The cache is bounded in age and in size:

- an entry stored more than `DEFAULT_MAX_AGE_DAYS` (30) days ago is a miss, and is deleted, so
  reports nobody asks for again do not stay on disk for good;
- when the stored reports pass `DEFAULT_MAX_MB` (256 MB), the least recently used are deleted
  until they fit again (an entry never read counts as used when it was stored).

Both are arguments of `ReportCache`, and `$EVENHAND_CACHE_MAX_DAYS` and `$EVENHAND_CACHE_MAX_MB`
set them for every run (a value of 0 turns that limit off). SQLite reuses the space of deleted
entries, so the file stays near the size limit rather than shrinking; `evenhand cache clear`
empties and compacts it.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import sqlite3
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..schema import SCHEMA_VERSION, Article

CACHE_FILE = "cache.sqlite3"
ENV_CACHE_DIR = "EVENHAND_CACHE_DIR"
ENV_MAX_DAYS = "EVENHAND_CACHE_MAX_DAYS"
ENV_MAX_MB = "EVENHAND_CACHE_MAX_MB"
DEFAULT_MAX_AGE_DAYS = 30.0
DEFAULT_MAX_MB = 256.0
_DAY = 86_400.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS reports (
    key TEXT PRIMARY KEY,
    engine TEXT NOT NULL,
    model TEXT,
    report TEXT NOT NULL,
    prompt_tokens INTEGER NOT NULL DEFAULT 0,
    completion_tokens INTEGER NOT NULL DEFAULT 0,
    cost_usd REAL,
    created_at REAL NOT NULL,
    hits INTEGER NOT NULL DEFAULT 0,
    used_at REAL NOT NULL DEFAULT 0,
    size INTEGER NOT NULL DEFAULT 0
)
"""
# Columns added after the first release, for caches written before them: the last use (the
# store time until read) and the report's size in bytes.
_ADDED_COLUMNS = {
    "used_at": (
        "ALTER TABLE reports ADD COLUMN used_at REAL NOT NULL DEFAULT 0",
        "UPDATE reports SET used_at = created_at",
    ),
    "size": (
        "ALTER TABLE reports ADD COLUMN size INTEGER NOT NULL DEFAULT 0",
        "UPDATE reports SET size = length(CAST(report AS BLOB))",
    ),
}
# Deletes the least recently used entries beyond the newest that fit in `?` bytes.
_EVICT = """
DELETE FROM reports WHERE key IN (
    SELECT key FROM (
        SELECT key, SUM(size) OVER (ORDER BY used_at DESC, rowid DESC) AS kept FROM reports
    ) WHERE kept > ?
)
"""


def cache_dir(override: str | Path | None = None) -> Path:
    """`--cache-dir`, else `$EVENHAND_CACHE_DIR`, else the platform's user cache folder."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get(ENV_CACHE_DIR)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("evenhand", appauthor=False))


def _limit_from_env(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not (math.isfinite(value) and value >= 0):
        raise ConfigError(f"${name} must be a number, 0 or more (0: no limit), not {raw!r}")
    return value


def input_hash(articles: Sequence[Article], max_words: int) -> str:
    """A hash of what the engine reads: every article field, in order, and the length cap."""
    payload = {"articles": [a.model_dump(mode="json") for a in articles], "max_words": max_words}
    return _sha256(payload)


def cache_key(
    *,
    engine: str,
    identity: Mapping[str, str],
    articles: Sequence[Article],
    max_words: int,
    min_confidence: float,
    sample: int = 0,
) -> str:
    """The cache key. `identity` is the plan's `Plan.cache_identity()`: model, prompt, settings.

    `min_confidence` is in it because a cached report holds only the loaded terms at or above it.
    """
    return _sha256(
        {
            "engine": engine,
            "identity": dict(sorted(identity.items())),
            "schema_version": SCHEMA_VERSION,
            "input": input_hash(articles, max_words),
            "min_confidence": min_confidence,
            "sample": sample,
        }
    )


def _sha256(payload: Any) -> str:
    data = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class CacheStats:
    path: Path
    entries: int
    size_bytes: int
    hits: int
    prompt_tokens: int
    completion_tokens: int
    cost_usd: float
    by_model: dict[str, int]


class ReportCache:
    """Stored reports by key. One connection per process; WAL so worker processes can share it.

    `max_age_days` and `max_mb` bound the cache (see the module's docstring); None takes
    `$EVENHAND_CACHE_MAX_DAYS` / `$EVENHAND_CACHE_MAX_MB`, else the defaults; 0 means no limit.
    `clock` (seconds since the epoch) lets tests move time.
    """

    def __init__(
        self,
        folder: str | Path | None = None,
        *,
        max_age_days: float | None = None,
        max_mb: float | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.folder = cache_dir(folder)
        self.path = self.folder / CACHE_FILE
        if max_age_days is None:
            max_age_days = _limit_from_env(ENV_MAX_DAYS, DEFAULT_MAX_AGE_DAYS)
        if max_mb is None:
            max_mb = _limit_from_env(ENV_MAX_MB, DEFAULT_MAX_MB)
        if not all(math.isfinite(v) and v >= 0 for v in (max_age_days, max_mb)):
            raise ConfigError("max_age_days and max_mb must be 0 (no limit) or more")
        self.max_age_seconds = max_age_days * _DAY or None
        self.max_bytes = int(max_mb * 1_000_000) or None
        self._clock = clock
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(_SCHEMA)
            self._add_columns()
        except (OSError, sqlite3.Error) as exc:
            raise ConfigError(
                f"cannot open the cache at {self.path}: {exc}; pass --cache-dir or --no-cache"
            ) from exc

    def _add_columns(self) -> None:
        present = {row[1] for row in self._db.execute("PRAGMA table_info(reports)")}
        for column, statements in _ADDED_COLUMNS.items():
            if column not in present:
                with self._db:  # one transaction: another process may be adding it too
                    self._db.execute("BEGIN IMMEDIATE")
                    present = {row[1] for row in self._db.execute("PRAGMA table_info(reports)")}
                    if column not in present:
                        for statement in statements:
                            self._db.execute(statement)

    def _expired_before(self) -> float | None:
        return None if self.max_age_seconds is None else self._clock() - self.max_age_seconds

    def get(self, key: str) -> str | None:
        """The stored report JSON for `key`, counting the hit; None on a miss or when expired."""
        row = self._db.execute(
            "SELECT report, created_at FROM reports WHERE key = ?", (key,)
        ).fetchone()
        if row is None:
            return None
        cutoff = self._expired_before()
        if cutoff is not None and row[1] < cutoff:
            self._db.execute("DELETE FROM reports WHERE key = ?", (key,))
            return None
        self._db.execute(
            "UPDATE reports SET hits = hits + 1, used_at = ? WHERE key = ?", (self._clock(), key)
        )
        return str(row[0])

    def put(
        self,
        key: str,
        report_json: str,
        *,
        engine: str,
        model: str | None,
        prompt_tokens: int = 0,
        completion_tokens: int = 0,
        cost_usd: float | None = None,
    ) -> None:
        now = self._clock()
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute(
                "INSERT OR REPLACE INTO reports (key, engine, model, report, prompt_tokens,"
                " completion_tokens, cost_usd, created_at, hits, used_at, size)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)",
                (
                    key,
                    engine,
                    model,
                    report_json,
                    prompt_tokens,
                    completion_tokens,
                    cost_usd,
                    now,
                    now,
                    len(report_json.encode("utf-8")),
                ),
            )
            self._prune()

    def prune(self) -> int:
        """Delete the expired entries, then the least recently used beyond the size limit; the
        number deleted. `put` does this after every write."""
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            return self._prune()

    def _prune(self) -> int:
        deleted = 0
        cutoff = self._expired_before()
        if cutoff is not None:
            deleted += self._db.execute(
                "DELETE FROM reports WHERE created_at < ?", (cutoff,)
            ).rowcount
        if self.max_bytes is not None:
            deleted += self._db.execute(_EVICT, (self.max_bytes,)).rowcount
        return deleted

    def stats(self) -> CacheStats:
        """What the cache holds, after deleting what has expired or does not fit."""
        self.prune()
        entries, hits, prompt, completion, cost = self._db.execute(
            "SELECT COUNT(*), COALESCE(SUM(hits), 0), COALESCE(SUM(prompt_tokens), 0),"
            " COALESCE(SUM(completion_tokens), 0), COALESCE(SUM(cost_usd), 0) FROM reports"
        ).fetchone()
        by_model = {
            f"{engine}/{model or '-'}": count
            for engine, model, count in self._db.execute(
                "SELECT engine, model, COUNT(*) FROM reports GROUP BY engine, model ORDER BY 3 DESC"
            )
        }
        size = sum(
            p.stat().st_size
            for p in self.folder.glob(CACHE_FILE + "*")
            if p.is_file()  # the database and its WAL files
        )
        return CacheStats(self.path, entries, size, hits, prompt, completion, float(cost), by_model)

    def clear(self) -> int:
        """Delete every entry; the number deleted."""
        count = int(self._db.execute("SELECT COUNT(*) FROM reports").fetchone()[0])
        self._db.execute("DELETE FROM reports")
        self._db.execute("VACUUM")
        return count

    def close(self) -> None:
        self._db.close()
