"""Where `--output` writes: a symlink is followed to the file it points to (replaced atomically,
the link kept), and a device, FIFO or socket is refused, never replaced by a plain file."""

from __future__ import annotations

import errno
import io
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from cli_helpers import run_cli
from evenhand.errors import OutputError
from evenhand.safe_write import atomic_write_text


def test_writing_through_a_symlink_replaces_the_file_it_points_to_and_keeps_the_link(
    tmp_path: Path,
) -> None:
    real_dir = tmp_path / "real"
    real_dir.mkdir()
    real = real_dir / "report.txt"
    real.write_text("old", encoding="utf-8")
    os.chmod(real, 0o640)
    link = tmp_path / "link.txt"
    link.symlink_to(real)

    atomic_write_text(link, "new report")

    assert link.is_symlink()
    assert os.readlink(link) == str(real)
    assert real.read_text(encoding="utf-8") == "new report"
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert sorted(p.name for p in real_dir.iterdir()) == ["report.txt"]  # no temporary left
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.txt", "real"]


def test_a_dangling_symlink_gets_its_target_created(tmp_path: Path) -> None:
    real = tmp_path / "target.txt"
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    atomic_write_text(link, "report")
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == "report"


def test_a_fifo_or_a_symlink_to_one_is_refused_and_left_as_it_is(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "link.json"
    link.symlink_to(fifo)
    for target in (fifo, link):
        with pytest.raises(OutputError, match="not a regular file"):
            atomic_write_text(target, "report")
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert link.is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.json", "pipe"]


def test_a_symlink_loop_is_refused(tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.symlink_to(b)
    b.symlink_to(a)
    with pytest.raises(OutputError):
        atomic_write_text(a, "report")
    assert a.is_symlink()
    assert b.is_symlink()


def test_analyze_refuses_a_special_file_as_output_before_any_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], example_files: list[Path]
) -> None:
    fifo = tmp_path / "report.json"
    os.mkfifo(fifo)
    code, out, err = run_cli(capsys, "analyze", *map(str, example_files), "-o", str(fifo))
    assert code == 2, err
    assert out == ""
    assert "not a regular file" in err
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_analyze_writes_through_a_symlink(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], example_files: list[Path]
) -> None:
    real = tmp_path / "real.md"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    code, _, err = run_cli(capsys, "analyze", *map(str, example_files), "-o", str(link))
    assert code == 0, err
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8").startswith("# evenhand report")


# --- the format of the output, and a stdout that cannot be written ----------------------------


def test_an_output_extension_that_names_no_format_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], example_files: list[Path]
) -> None:
    output = tmp_path / "report.pdf"
    code, out, err = run_cli(capsys, "analyze", *map(str, example_files), "-o", str(output))
    assert code == 2, err
    assert out == ""
    assert ".pdf" in err
    assert "--format" in err
    assert not output.exists()


def test_the_note_of_the_file_written_names_its_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], example_files: list[Path]
) -> None:
    for name, args, fmt in (
        ("report.pdf", ["-f", "markdown"], "markdown"),
        ("report", [], "text"),
        ("r.json", [], "json"),
    ):
        output = tmp_path / name
        code, _, err = run_cli(
            capsys, "analyze", *map(str, example_files), *args, "-o", str(output)
        )
        assert code == 0, err
        assert f"wrote the report to {output} ({fmt})" in err
        assert output.exists()


class _FullStream(io.RawIOBase):
    """A stdout on a full disk: every write fails with ENOSPC."""

    def writable(self) -> bool:
        return True

    def write(self, data: object) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_a_full_stdout_is_a_clear_error(
    capsys: pytest.CaptureFixture[str], example_files: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(io.BufferedWriter(_FullStream())))
    code, _, err = run_cli(capsys, "analyze", *map(str, example_files), "-f", "json")
    monkeypatch.undo()
    assert code == 2, err
    assert err.startswith("evenhand: error: cannot write the report to stdout")
    assert "No space left on device" in err
    assert "internal error" not in err
    assert err.count("\n") == 1


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_writing_to_dev_full_exits_with_one_line_and_nothing_more() -> None:
    command = [sys.executable, "-c", "from evenhand.cli import main; main()", "schema"]
    with Path("/dev/full").open("w") as full:
        done = subprocess.run(
            command, check=False, stdout=full, stderr=subprocess.PIPE, text=True, timeout=120
        )
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("evenhand: error: cannot write the schema to stdout")
    assert done.stderr.count("\n") == 1, done.stderr  # no "Exception ignored" at exit
