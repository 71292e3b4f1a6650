"""`evenhand demo --save-example DIR`: the bundled example as files, read back as the same
articles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import evenhand
from evenhand.cli import main
from evenhand.data import example_paths

NAMES = ["a.txt", "b.txt", "b.html", "stories.jsonl", "clusters.jsonl", "draft.txt"]


def _save(folder: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as done:
        main(["demo", "--save-example", str(folder)])
    out, err = capsys.readouterr()
    return int(done.value.code or 0), out, err


def test_save_example_writes_the_articles_in_every_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "new" / "example"
    code, out, _ = _save(folder, capsys)
    assert code == 0
    assert sorted(p.name for p in folder.iterdir()) == sorted(NAMES)
    for name in NAMES:
        assert str(folder / name) in out
    assert f"evenhand analyze {folder / 'a.txt'} {folder / 'b.txt'}" in out

    shipped = [p.read_text(encoding="utf-8") for p in example_paths()]
    assert [(folder / n).read_text(encoding="utf-8") for n in ("a.txt", "b.txt")] == shipped
    plain = evenhand.load_articles([folder / "a.txt", folder / "b.txt"])
    jsonl = evenhand.load_articles([folder / "stories.jsonl"])
    assert [(a.id, a.text, a.title) for a in jsonl] == [(a.id, a.text, a.title) for a in plain]
    assert [a.outlet for a in jsonl] == ["Outlet A", "Outlet B"]
    (page,) = evenhand.load_articles([folder / "b.html"])
    assert page.title == plain[1].title
    assert plain[1].text.split("\n")[0] in page.text
    cluster = json.loads((folder / "clusters.jsonl").read_text(encoding="utf-8"))
    assert [a["text"] for a in cluster["articles"]] == [a.text for a in plain]
    assert (folder / "draft.txt").read_text(encoding="utf-8").startswith("Belarusian President")


def test_save_example_never_overwrites(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "draft.txt").write_text("my own draft", encoding="utf-8")
    code, out, err = _save(tmp_path, capsys)
    assert code == 2
    assert "draft.txt already there" in err
    assert out == ""
    assert [p.name for p in tmp_path.iterdir()] == ["draft.txt"]
    assert (tmp_path / "draft.txt").read_text(encoding="utf-8") == "my own draft"


def test_save_example_into_a_file_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "file.txt"
    target.write_text("x", encoding="utf-8")
    code, _, err = _save(target, capsys)
    assert code == 2
    assert "not a folder" in err
