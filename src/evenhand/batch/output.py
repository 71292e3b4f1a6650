"""Append-only JSONL logs that survive `kill -9`: the results file and the errors file.

Each record is one line, written with an `os.write` loop on an O_APPEND descriptor (no buffer in
the process), so once `append` returns the line survives the process being killed; a kill can
only leave the *last* line torn. fsync (for power loss) runs at most every `SYNC_EVERY` seconds
and on close: a line lost to a power cut is simply done again. Opening a log repairs that: a
last line without its newline is cut off (the cluster it held was in flight and runs again). A
lock file keeps two runs from appending to the same output at once, which is what keeps every id
to one line.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import OutputError
from ..safe_write import atomic_write_text

SYNC_EVERY = 1.0


def errors_path(output: str | Path) -> Path:
    """`OUT.jsonl` -> `OUT.errors.jsonl`, beside it."""
    out = Path(output)
    stem = out.name[: -len(".jsonl")] if out.name.endswith(".jsonl") else out.name
    return out.with_name(f"{stem}.errors.jsonl")


@dataclass
class Repair:
    """What opening a log had to fix."""

    torn_bytes: int = 0
    dropped_lines: list[int] = field(default_factory=list)

    def describe(self, path: Path) -> str | None:
        parts = []
        if self.torn_bytes:
            parts.append(f"cut a torn last line ({self.torn_bytes} bytes)")
        if self.dropped_lines:
            lines = ", ".join(str(n) for n in self.dropped_lines[:5])
            parts.append(f"dropped unreadable or repeated line(s) {lines}")
        return f"{path}: {'; '.join(parts)}" if parts else None


def _cut_torn_tail(path: Path) -> int:
    """Truncate `path` after its last newline; the number of bytes removed."""
    size = path.stat().st_size
    if size == 0:
        return 0
    with path.open("rb+") as handle:
        handle.seek(-1, os.SEEK_END)
        if handle.read(1) == b"\n":
            return 0
        # Walk back in blocks to the last newline.
        pos = size
        while pos > 0:
            step = min(65536, pos)
            pos -= step
            handle.seek(pos)
            block = handle.read(step)
            nl = block.rfind(b"\n")
            if nl >= 0:
                keep = pos + nl + 1
                break
        else:
            keep = 0
        handle.truncate(keep)
        handle.flush()
        os.fsync(handle.fileno())
    return size - keep


class JsonlLog:
    """An append-only JSONL file of records keyed by `"id"`.

    `valid(record)` says whether a complete line is a usable record; lines that fail it (which
    only a foreign edit could produce) and repeated ids are dropped by an atomic rewrite.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        valid: Callable[[dict[str, Any]], bool] = lambda r: "id" in r,
        unique: bool = True,
    ) -> None:
        self.path = Path(path)
        self._valid = valid
        self._unique = unique
        self._fd: int | None = None
        self._synced = 0.0
        self._ids: set[str] = set()
        self.repair = Repair()

    # --- reading and repair -------------------------------------------------------------------

    def load(self) -> list[dict[str, Any]]:
        """Repair the file if a crash tore it, then read its records."""
        self._ids = set()
        if not self.path.exists():
            return []
        if self.path.is_dir():
            raise OutputError(f"cannot write {self.path}: it is a folder")
        try:
            foreign = _foreign(self.path, self._valid)
        except OSError as exc:
            raise OutputError(f"cannot read {self.path}: {exc.strerror or exc}") from exc
        if foreign:
            # Repair would cut and rewrite it: a mistyped --output must not destroy a file.
            raise OutputError(
                f"{self.path} is not an evenhand batch output ({foreign}); it was left as it "
                "is: choose another `output_path`, or delete the file"
            )
        try:
            self.repair.torn_bytes = _cut_torn_tail(self.path)
            raw_lines = self.path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise OutputError(f"cannot read {self.path}: {exc}") from exc
        records: list[dict[str, Any]] = []
        seen: set[str] = set()
        for number, raw in enumerate(raw_lines, start=1):
            record = _parse(raw)
            key = None if record is None else str(record.get("id"))
            if record is None or not self._valid(record) or (self._unique and key in seen):
                self.repair.dropped_lines.append(number)
                continue
            if key is not None:
                seen.add(key)
            records.append(record)
        if self.repair.dropped_lines:
            self.rewrite(records)
        self._ids = {str(r.get("id")) for r in records}
        return records

    def rewrite(self, records: list[dict[str, Any]]) -> None:
        """Replace the file's content atomically (used for repairs and resets only)."""
        self.close()
        atomic_write_text(self.path, "".join(_line(r) for r in records))
        self._ids = {str(r.get("id")) for r in records}

    # --- appending ----------------------------------------------------------------------------

    def open(self) -> None:
        if self._fd is not None:
            return
        try:
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        except OSError as exc:
            raise OutputError(f"cannot write {self.path}: {exc.strerror or exc}") from exc

    def append(self, record: dict[str, Any]) -> None:
        """Write one record as one line; it is in the file when this returns."""
        self.append_line(str(record.get("id")), _line(record))

    def append_line(self, key: str, line: str) -> None:
        """Write one ready-made JSON line (ending in a newline) for the record `key`."""
        if not line.endswith("\n") or "\n" in line[:-1]:
            raise ValueError("a record must be exactly one line")
        self.open()
        assert self._fd is not None
        view = memoryview(line.encode("utf-8"))
        try:
            while view:
                written = os.write(self._fd, view)
                view = view[written:]
            now = time.monotonic()
            if now - self._synced >= SYNC_EVERY:
                os.fsync(self._fd)
                self._synced = now
        except OSError as exc:
            raise OutputError(f"cannot write {self.path}: {exc.strerror or exc}") from exc
        self._ids.add(key)

    def close(self) -> None:
        if self._fd is not None:
            os.fsync(self._fd)
            os.close(self._fd)
            self._fd = None

    def ids(self) -> set[str]:
        return set(self._ids)


def _foreign(path: Path, valid: Callable[[dict[str, Any]], bool]) -> str | None:
    """Why the file at `path` is not a log of records that pass `valid`, or None when it is one.

    Only the first line is judged: a log starts with a record (or, after a kill during its very
    first write, with the torn start of one, which begins with "{").
    """
    with path.open("rb") as handle:
        head = handle.read(4096).lstrip()
        if head and not head.startswith(b"{"):
            return "it does not start with a JSON record"
        handle.seek(0)
        for raw in handle:
            if not raw.strip():
                continue
            if not raw.endswith(b"\n"):
                return None  # a torn first record: repair cuts it
            try:
                record = _parse(raw.decode("utf-8"))
            except UnicodeDecodeError:
                record = None
            if record is None or not valid(record):
                return "its first line is not one of its records"
            return None
    return None


def _parse(raw: str) -> dict[str, Any] | None:
    try:
        value = json.loads(raw)
    except json.JSONDecodeError:
        return None
    return value if isinstance(value, dict) else None


def _line(record: dict[str, Any]) -> str:
    # json.dumps escapes newlines inside strings, so a record is always exactly one line.
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"


def is_result(record: dict[str, Any]) -> bool:
    """A results line: an id and a report object."""
    return "id" in record and isinstance(record.get("report"), dict)


@contextlib.contextmanager
def exclusive_lock(output: Path) -> Iterator[None]:
    """Hold a lock on the output file for the run, so that a second run on it stops at once.

    The lock is `REAL.lock` beside the real file (every symlink resolved), so a run given the
    output through a symlink or a linked folder meets the same lock. It is a `filelock` lock. Its
    file is removed only by the run that holds it, before it lets go; `filelock` does not count a
    lock taken on a file removed meanwhile, so a run that opened the old file never runs beside
    one that created a new one, and a refused run removes nothing.
    """
    from filelock import FileLock, Timeout

    from ..safe_write import output_target

    folder = output.parent if str(output.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"cannot write {output}: folder {folder} does not exist")
    real = Path(os.path.realpath(output_target(output)))  # a folder or device is refused
    lock_path = real.with_name(real.name + ".lock")
    lock = FileLock(lock_path, timeout=0)
    try:
        lock.acquire()
    except Timeout:
        shown = output if real == output.absolute() else f"{output} ({real})"
        raise OutputError(
            f"another evenhand batch is writing {shown}; wait for it or choose another "
            "`output_path`"
        ) from None
    except OSError as exc:
        raise OutputError(f"cannot create {lock_path}: {exc.strerror or exc}") from exc
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            lock_path.unlink()
        lock.release()
