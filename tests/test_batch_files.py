"""Batch input reading (problems with line numbers) and the crash-safe JSONL logs."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from evenhand.batch.inputs import read_clusters
from evenhand.batch.output import JsonlLog, errors_path, exclusive_lock, is_result
from evenhand.errors import InputError, OutputError

ARTICLE = {"text": "The council approved the budget on Monday after a long debate.", "outlet": "A"}


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_clusters_are_read_with_articles_built(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "in.jsonl",
        [
            json.dumps({"id": "x1", "articles": [ARTICLE, {**ARTICLE, "id": "b", "url": "u"}]}),
            "",
            json.dumps({"id": 7, "articles": ["Plain text is an article too, with no fields."]}),
        ],
    )
    clusters, problems = read_clusters(path)
    assert problems == []
    assert [c.id for c in clusters] == ["x1", 7]
    assert [c.line for c in clusters] == [1, 3]
    assert [a.id for a in clusters[0].articles] == ["a1", "b"]
    assert clusters[0].articles[0].outlet == "A"
    assert clusters[0].articles[1].url == "u"
    assert clusters[1].key == "7"
    assert clusters[1].articles[0].text.startswith("Plain text")


def test_bad_lines_are_reported_with_line_numbers_and_skipped(tmp_path: Path) -> None:
    good = json.dumps({"id": "a", "articles": [ARTICLE]})
    path = _write(
        tmp_path / "in.jsonl",
        [
            good,
            "{not json",
            json.dumps({"id": "b"}),
            json.dumps({"id": "c", "articles": []}),
            json.dumps({"id": "a", "articles": [ARTICLE]}),
            json.dumps({"articles": [ARTICLE]}),
            json.dumps({"id": "d", "articles": [{"text": "   "}]}),
            json.dumps({"id": "e", "articles": [{**ARTICLE, "colour": "red"}]}),
            json.dumps({"id": "f", "articles": [{**ARTICLE, "id": "s"}, {**ARTICLE, "id": "s"}]}),
            json.dumps(["a", "list"]),
            json.dumps({"id": "g", "articles": [ARTICLE]}),
        ],
    )
    clusters, problems = read_clusters(path)
    assert [c.id for c in clusters] == ["a", "g"]
    by_line = {p.line: p.message for p in problems}
    assert sorted(by_line) == [2, 3, 4, 5, 6, 7, 8, 9, 10]
    assert by_line[2].startswith("not JSON")
    assert "articles" in by_line[3]
    assert "articles" in by_line[4]
    assert by_line[5] == "duplicate id 'a' (first on line 1)"
    assert '"id"' in by_line[6]
    assert "no text" in by_line[7]
    assert "colour" in by_line[8]
    assert "share an id" in by_line[9]
    assert "object" in by_line[10]
    # The id of a broken line is kept when it can be read, so the errors file names it.
    assert {p.line: p.id for p in problems}[4] == "c"


def test_unreadable_input_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        read_clusters(tmp_path / "missing.jsonl")
    (tmp_path / "bin.jsonl").write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(InputError, match="UTF-8"):
        read_clusters(tmp_path / "bin.jsonl")


def test_errors_path_sits_beside_the_output(tmp_path: Path) -> None:
    assert errors_path(tmp_path / "out.jsonl") == tmp_path / "out.errors.jsonl"
    assert errors_path(tmp_path / "out") == tmp_path / "out.errors.jsonl"


def _result(i: int) -> dict[str, object]:
    return {"id": f"c{i}", "report": {"n": i, "text": "é ✓"}}


def test_a_torn_last_line_is_cut_and_the_log_appends_cleanly(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    log = JsonlLog(path, valid=is_result)
    log.load()
    for i in range(3):
        log.append(_result(i))
    log.close()
    whole = path.read_bytes()
    # What a kill in the middle of a write leaves: the start of a line, no newline.
    with path.open("ab") as handle:
        handle.write(b'{"id":"c3","report":{"n":3,"te')
    again = JsonlLog(path, valid=is_result)
    records = again.load()
    assert [r["id"] for r in records] == ["c0", "c1", "c2"]
    assert again.repair.torn_bytes == len(b'{"id":"c3","report":{"n":3,"te')
    assert path.read_bytes() == whole
    again.append(_result(3))
    again.close()
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["c0", "c1", "c2", "c3"]
    assert json.loads(lines[0])["report"]["text"] == "é ✓"


def test_a_file_that_is_one_torn_line_becomes_empty(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    path.write_bytes(b'{"id":"c0","rep')
    log = JsonlLog(path, valid=is_result)
    assert log.load() == []
    assert path.read_bytes() == b""


def test_foreign_damage_and_repeated_ids_are_dropped_by_an_atomic_rewrite(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    rows = [_result(0), {"id": "c1"}, _result(2), _result(0)]
    path.write_text(
        "\n".join([json.dumps(rows[0]), "garbage", *(json.dumps(r) for r in rows[1:])]) + "\n",
        encoding="utf-8",
    )
    log = JsonlLog(path, valid=is_result)
    records = log.load()
    assert [r["id"] for r in records] == ["c0", "c2"]
    assert log.repair.dropped_lines == [2, 3, 5]
    assert log.ids() == {"c0", "c2"}
    assert [json.loads(x)["id"] for x in path.read_text().splitlines()] == ["c0", "c2"]
    assert log.repair.describe(path) is not None


def test_append_line_refuses_anything_but_one_line(tmp_path: Path) -> None:
    log = JsonlLog(tmp_path / "out.jsonl")
    with pytest.raises(ValueError, match="one line"):
        log.append_line("a", '{"id":"a"}\n{"id":"b"}\n')
    with pytest.raises(ValueError, match="one line"):
        log.append_line("a", '{"id":"a"}')


def test_a_second_run_on_the_same_output_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"

    def second_run() -> None:
        with exclusive_lock(out):
            pass

    with exclusive_lock(out), pytest.raises(OutputError, match="another evenhand batch"):
        second_run()
    with exclusive_lock(out):  # released: usable again
        pass
    assert not os.path.exists(str(out) + ".lock")


@pytest.mark.parametrize(
    "content",
    [
        "The first line of an article someone meant to analyse.\nAnd a second line, no newline",
        '{"id": "c1", "articles": [{"text": "a batch input line, not a result"}]}\n',
        '{\n  "schema_version": "1.0"\n}\n',
    ],
)
def test_a_file_that_is_not_a_results_log_is_refused_and_left_untouched(
    tmp_path: Path, content: str
) -> None:
    # Repair used to cut its "torn" tail and drop its "foreign" lines: the file was destroyed.
    path = tmp_path / "article.txt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(OutputError, match=r"is not an evenhand batch output .*left as it is"):
        JsonlLog(path, valid=is_result).load()
    assert path.read_text(encoding="utf-8") == content


def test_an_output_that_is_the_input_or_a_folder_or_in_no_folder_is_refused(
    tmp_path: Path,
) -> None:
    from evenhand.batch import BatchOptions, run_batch

    line = json.dumps({"id": "c1", "articles": [{"text": "A council vote on Monday."}]}) + "\n"
    options = BatchOptions(engine="offline", workers=0, progress=False)
    for src, out in [
        (tmp_path / "in.jsonl", tmp_path / "in.jsonl"),
        (tmp_path / "day.errors.jsonl", tmp_path / "day.jsonl"),  # the errors file is the input
    ]:
        src.write_text(line, encoding="utf-8")
        with pytest.raises(OutputError, match="is the batch input"):
            run_batch(src, out, options, notify=lambda m: None)
        assert src.read_text(encoding="utf-8") == line
    src = tmp_path / "in.jsonl"
    with pytest.raises(OutputError, match="it is a folder"):
        run_batch(src, tmp_path, options, notify=lambda m: None)
    with pytest.raises(OutputError, match=r"folder .*missing does not exist"):
        run_batch(src, tmp_path / "missing" / "out.jsonl", options, notify=lambda m: None)
    assert not (tmp_path / "missing").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty: give one cluster a line"),
        (b"\n  \n\n", "is empty: give one cluster a line"),
        (b"\x00\x01\x02binary\n", "looks like a binary file"),
    ],
)
def test_an_empty_or_binary_input_is_an_input_error(
    tmp_path: Path, content: bytes, message: str
) -> None:
    # An empty input used to be a successful run of 0 clusters; a binary one, a bad line.
    path = tmp_path / "in.jsonl"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        read_clusters(path)


def test_the_summary_counts_one_cluster_in_the_singular(tmp_path: Path) -> None:
    from evenhand.batch.runner import BatchSummary

    one = BatchSummary(output=tmp_path / "o.jsonl", errors=tmp_path / "e.jsonl", clusters=1)
    assert "; 1 cluster in the input" in one.text()
    two = BatchSummary(output=tmp_path / "o.jsonl", errors=tmp_path / "e.jsonl", clusters=2)
    assert "; 2 clusters in the input" in two.text()
