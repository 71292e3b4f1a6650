"""The report cache: SQLite in the user's cache folder, so the same call is never paid for twice.

The key is a SHA-256 over everything that can change a report: engine, model, prompt version and
hash, schema version, the engine's settings, the input's hash, the loaded-term threshold and the
sample index. A hit returns
the stored report and makes no call.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..schema import SCHEMA_VERSION, Article

CACHE_FILE = "cache.sqlite3"
ENV_CACHE_DIR = "EVENHAND_CACHE_DIR"

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
    hits INTEGER NOT NULL DEFAULT 0
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
    """The cache key. `identity` is the engine's `cache_identity(...)`: model, prompt, settings.

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
    """Stored reports by key. One connection per process; WAL so worker processes can share it."""

    def __init__(self, folder: str | Path | None = None) -> None:
        self.folder = cache_dir(folder)
        self.path = self.folder / CACHE_FILE
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise ConfigError(
                f"cannot open the cache at {self.path}: {exc}; pass --cache-dir or --no-cache"
            ) from exc

    def get(self, key: str) -> str | None:
        """The stored report JSON for `key`, counting the hit; None on a miss."""
        row = self._db.execute("SELECT report FROM reports WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        self._db.execute("UPDATE reports SET hits = hits + 1 WHERE key = ?", (key,))
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
        self._db.execute(
            "INSERT OR REPLACE INTO reports (key, engine, model, report, prompt_tokens,"
            " completion_tokens, cost_usd, created_at, hits) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)",
            (
                key,
                engine,
                model,
                report_json,
                prompt_tokens,
                completion_tokens,
                cost_usd,
                time.time(),
            ),
        )

    def stats(self) -> CacheStats:
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
