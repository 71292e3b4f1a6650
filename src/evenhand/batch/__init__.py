"""Batch runs: many clusters from a JSONL file to a JSONL file, resumably and within rate limits.

    >>> from evenhand.batch import BatchOptions, run_batch
    >>> summary = run_batch("day.jsonl", "out.jsonl", BatchOptions(engine="offline"))
    >>> print(summary.text())

Modules: `inputs` (reading clusters), `output` (crash-safe JSONL logs), `cache` (SQLite report
cache), `limiter` (requests and tokens per minute), `retry` (what to retry of a whole cluster, how
long to wait), `producers` (a cluster to a report), `runner` (the run), `openai_batch` (the OpenAI
Batch API).
"""

from __future__ import annotations

from .cache import ReportCache, cache_dir
from .inputs import Cluster, InputProblem, read_clusters
from .output import errors_path
from .runner import BatchOptions, BatchSummary, run_batch, run_batch_async

__all__ = [
    "BatchOptions",
    "BatchSummary",
    "Cluster",
    "InputProblem",
    "ReportCache",
    "cache_dir",
    "errors_path",
    "read_clusters",
    "run_batch",
    "run_batch_async",
]
