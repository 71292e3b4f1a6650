"""Writing files so that a failure never leaves a half-written output behind."""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from pathlib import Path

from .errors import OutputError

_SPECIAL = (
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
)


def output_target(path: str | os.PathLike[str]) -> Path:
    """The file that writing to `path` replaces: `path` itself, or for a symlink the file it
    points to (the link is kept). A folder, a device, a FIFO or a socket is refused: replacing
    one with a plain file would destroy it, and writing into it is not a report on disk."""
    given = Path(path)
    target = Path(os.path.realpath(given)) if given.is_symlink() else given
    if target.is_symlink():  # realpath stops inside a loop of links
        raise OutputError(f"cannot write {given}: it is a loop of symbolic links")
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        return target
    except OSError as exc:
        raise OutputError(f"cannot write {given}: {exc.strerror or exc}") from exc
    if stat.S_ISDIR(mode):
        raise OutputError(f"cannot write {given}: it is a folder")
    if not stat.S_ISREG(mode):
        what = next((name for test, name in _SPECIAL if test(mode)), "a special file")
        shown = given if target == given else f"{given} (a link to {target})"
        raise OutputError(
            f"cannot write {shown}: it is {what}, not a regular file; give a file path "
            "(or leave out the output file to write to stdout)"
        )
    return target


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write `text` to `path` through a temporary file in the same folder and an atomic rename.

    A symlink is followed: the file it points to is replaced and the link stays. A folder or a
    special file (device, FIFO, socket) is refused with an `OutputError`.
    """
    given = Path(path)
    target = output_target(given)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"cannot write {given}: folder {folder} does not exist")
    tmp = folder / f".{target.name}.{secrets.token_hex(6)}.tmp"
    try:
        # Not mkstemp: its 0600 would stick to the report. 0o666 lets the umask decide, as for
        # any file the user creates; a file being replaced keeps its own permissions.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as exc:
        raise OutputError(f"cannot write {given}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if target.is_file():
            os.chmod(tmp, stat.S_IMODE(target.stat().st_mode))
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise OutputError(f"cannot write {given}: {exc.strerror or exc}") from exc
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
