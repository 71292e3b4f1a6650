"""One batch run per output file, whatever path names it (a symlink to it, a symlinked folder),
and a refused run never removes the lock the running one holds."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from evenhand.batch.output import exclusive_lock
from evenhand.errors import OutputError


def _paths_to_one_file(tmp_path: Path) -> tuple[Path, Path, Path]:
    real_dir = tmp_path / "real"
    real_dir.mkdir()
    out = real_dir / "out.jsonl"
    link = tmp_path / "link.jsonl"
    link.symlink_to(out)
    folder_link = tmp_path / "folder"
    folder_link.symlink_to(real_dir, target_is_directory=True)
    return out, link, folder_link / "out.jsonl"


def test_a_run_through_a_symlink_to_a_locked_output_is_refused(tmp_path: Path) -> None:
    out, link, via_folder = _paths_to_one_file(tmp_path)
    with exclusive_lock(out):
        for other in (link, via_folder):
            with pytest.raises(OutputError, match="another evenhand batch"):  # noqa: SIM117
                with exclusive_lock(other):
                    pass
    with exclusive_lock(link), pytest.raises(OutputError, match="another evenhand batch"):  # noqa: SIM117
        with exclusive_lock(out):
            pass


def test_a_refused_run_leaves_the_held_lock_in_place(tmp_path: Path) -> None:
    out, link, _ = _paths_to_one_file(tmp_path)
    with exclusive_lock(out):
        locks = sorted(p.name for p in out.parent.iterdir() if p.name.endswith(".lock"))
        assert locks
        for _ in range(2):  # the second refusal proves the first left the lock as it was
            with pytest.raises(OutputError, match="another evenhand batch"):  # noqa: SIM117
                with exclusive_lock(link):
                    pass
            assert sorted(p.name for p in out.parent.iterdir() if p.name.endswith(".lock")) == (
                locks
            )
    with exclusive_lock(link):  # released: usable again, by any path
        pass
    assert not list(tmp_path.rglob("*.lock"))


def test_two_batch_runs_through_a_symlink_do_not_both_write(tmp_path: Path) -> None:
    from evenhand.batch import BatchOptions, run_batch

    out, link, _ = _paths_to_one_file(tmp_path)
    source = tmp_path / "in.jsonl"
    article = {"text": "The council approved the budget on Monday after a long debate."}
    source.write_text(json.dumps({"id": "c1", "articles": [article]}) + "\n", encoding="utf-8")
    options = BatchOptions(engine="offline", workers=0, progress=False)
    with exclusive_lock(out), pytest.raises(OutputError, match="another evenhand batch"):
        run_batch(source, link, options, notify=lambda m: None)
    assert not out.exists() or out.read_text(encoding="utf-8") == ""

    run_batch(source, link, options, notify=lambda m: None)
    assert link.is_symlink()
    ids = [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert ids == ["c1"]
    assert os.readlink(link) == str(out)
