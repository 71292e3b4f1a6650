"""Reading a batch input file: one cluster a line, `{"id": ..., "articles": [...]}`.

A bad line never stops the run: it becomes an `InputProblem` with its line number, and the line
is skipped. Only a file that cannot be read at all is an `InputError`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import InputError
from ..schema import Article
from ..sources import surrogate_problem

ARTICLE_KEYS = frozenset({"id", "text", "outlet", "title", "url"})


@dataclass(frozen=True)
class Cluster:
    """One story cluster: the articles about one event, and where it came from."""

    id: str | int
    articles: list[Article]
    line: int

    @property
    def key(self) -> str:
        """The id as a string: what the output, the errors file and the cache compare on."""
        return str(self.id)


@dataclass(frozen=True)
class InputProblem:
    """A line that was skipped, and why."""

    line: int
    message: str
    id: str | int | None = None

    def as_record(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "line": self.line,
            "error": {"type": "InputError", "message": self.message},
        }


def _article(value: Any, index: int) -> Article:
    where = f"article {index + 1}"
    if isinstance(value, str):
        value = {"text": value}
    if not isinstance(value, dict):
        raise ValueError(f"{where} must be an object with a text field")
    unknown = sorted(set(value) - ARTICLE_KEYS)
    if unknown:
        raise ValueError(f"{where} has unknown field(s) {', '.join(unknown)}")
    text = value.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"{where} has no text")
    for key in ("text", "id", "outlet", "title", "url"):
        field = value.get(key)
        problem = surrogate_problem(field) if isinstance(field, str) else None
        if problem is not None:
            raise ValueError(f"{where}: {key} {problem}")
    fields = dict(value)
    fields["id"] = str(fields.get("id") or f"a{index + 1}")
    try:
        return Article(**fields)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        raise ValueError(f"{where}: {loc}: {first['msg']}") from None


def parse_cluster(raw: str, line: int) -> Cluster:
    """One input line -> a `Cluster`; ValueError with a short reason when the line is unusable."""
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    cluster_id = data.get("id")
    if isinstance(cluster_id, bool) or not isinstance(cluster_id, str | int):
        raise ValueError('no "id" (a string or an integer)')
    if isinstance(cluster_id, str) and not cluster_id.strip():
        raise ValueError('"id" is empty')
    values = data.get("articles")
    if not isinstance(values, list) or not values:
        raise ValueError('no "articles" (a non-empty list)')
    articles = [_article(v, i) for i, v in enumerate(values)]
    ids = [a.id for a in articles]
    if len(set(ids)) != len(ids):
        raise ValueError("two articles share an id")
    return Cluster(id=cluster_id, articles=articles, line=line)


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    try:
        handle = path.open(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"batch input {path} does not exist") from None
    except IsADirectoryError:
        raise InputError(f"batch input {path} is a folder, not a JSONL file") from None
    except OSError as exc:
        raise InputError(f"cannot read batch input {path}: {exc.strerror or exc}") from None
    with handle:
        try:
            yield from enumerate(handle, start=1)
        except UnicodeDecodeError:
            raise InputError(f"batch input {path} is not UTF-8 text") from None


def read_clusters(path: str | Path) -> tuple[list[Cluster], list[InputProblem]]:
    """Every usable cluster in `path`, and a problem for each line that was skipped.

    Blank lines are ignored. A repeated id keeps its first line; later ones are problems.
    """
    clusters: list[Cluster] = []
    problems: list[InputProblem] = []
    seen: dict[str, int] = {}
    for number, raw in _lines(Path(path)):
        if not raw.strip():
            continue
        if "\x00" in raw:
            raise InputError(f"batch input {path} looks like a binary file (NUL bytes), not JSONL")
        try:
            cluster = parse_cluster(raw, number)
        except ValueError as exc:
            problems.append(InputProblem(number, str(exc), _loose_id(raw)))
            continue
        first = seen.get(cluster.key)
        if first is not None:
            problems.append(
                InputProblem(number, f"duplicate id {cluster.id!r} (first on line {first})", None)
            )
            continue
        seen[cluster.key] = number
        clusters.append(cluster)
    if not clusters and not problems:
        raise InputError(
            f"batch input {path} is empty: give one cluster a line, "
            '{"id": ..., "articles": [...]}'
        )
    return clusters, problems


def _loose_id(raw: str) -> str | int | None:
    """The id of an unusable line, when one can be read, so the problem names it."""
    try:
        data = json.loads(raw)
    except json.JSONDecodeError:
        return None
    value = data.get("id") if isinstance(data, dict) else None
    return value if isinstance(value, str | int) and not isinstance(value, bool) else None
