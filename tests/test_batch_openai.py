"""`--openai-batch` end to end over recorded HTTP: submit, poll, download, write the output files;
and `batch status|collect BATCH_ID` after the submitting process has ended.

The cassettes in tests/cassettes/batch/ are AUTHORED fixtures (tests/cassettes/batch/author.py):
"bridge" is answered faithfully, "strike" carries a misquoted span, "flood" is in the error file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from evenhand.cli import main
from evenhand.llm.recording import vcr_options
from evenhand.schema import Report

HERE = Path(__file__).resolve().parent / "cassettes" / "batch"
BATCH_ID = "batch_authored_0001"
DUMMY_KEY = "sk-test-dummy-key-0000"


@pytest.fixture(scope="module")
def vcr_cassette_dir() -> str:
    return str(HERE)


@pytest.fixture
def vcr_config() -> dict[str, Any]:
    # A file upload's multipart boundary is random: match on method and path only; the uploaded
    # requests are compared with the engine's own below.
    return vcr_options(match_on=("method", "path"))


@pytest.fixture(autouse=True)
def _dummy_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", DUMMY_KEY)


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def _check_outputs(out: Path) -> None:
    results = {r["id"]: Report.model_validate(r["report"]) for r in _lines(out)}
    assert sorted(results) == ["bridge", "strike"]
    for report in results.values():
        assert report.provenance.engine == "llm"
        assert report.provenance.token_usage is not None
        assert report.provenance.token_usage.prompt_tokens > 1000
    bridge, strike = results["bridge"], results["strike"]
    assert all(s.support for s in bridge.summary)
    assert not [f for f in bridge.findings if f.check == "grounding"]
    # The misquoted span is caught, not shown as backed.
    assert [s for s in strike.summary if not s.support]
    assert [f for f in strike.findings if f.check in {"grounding", "unsupported_content"}]
    errors = _lines(out.with_name("out.errors.jsonl"))
    assert [e["id"] for e in errors] == ["flood"]
    assert "could not be processed" in errors[0]["error"]["message"]
    assert (
        "400" in errors[0]["error"]["message"] or "invalid_request" in errors[0]["error"]["message"]
    )


def _uploaded_requests(cache: Path) -> list[dict[str, Any]]:
    return _lines(cache / "batches" / BATCH_ID / "requests.jsonl")


@pytest.mark.vcr
def test_submit_wait_and_collect(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    out = tmp_path / "out.jsonl"
    command = [
        "batch",
        str(HERE / "clusters.jsonl"),
        "--output",
        str(out),
        "--engine",
        "llm",
        "--openai-batch",
        "--poll-interval",
        "0.01",
        "--cache-dir",
        str(cache),
    ]
    with pytest.raises(SystemExit) as exit_:
        main(command)
    captured = capsys.readouterr()
    assert exit_.value.code == 1, captured.err  # one cluster failed
    assert f"submitted batch {BATCH_ID} (3 requests)" in captured.out
    assert "done 2 (cached 0), failed 1" in captured.out
    assert "Batch API prices" in captured.out
    _check_outputs(out)
    # What was uploaded is exactly what the engine builds for each cluster.
    expected = _lines(HERE / "requests.expected.jsonl")
    assert _uploaded_requests(cache) == expected
    assert [r["custom_id"] for r in expected] == ["bridge", "strike", "flood"]
    assert DUMMY_KEY not in (cache / "batches" / BATCH_ID / "state.json").read_text()

    # The results went into the cache: a plain rerun of the failed cluster's neighbours is free.
    with pytest.raises(SystemExit):
        main(["cache", "stats", "--cache-dir", str(cache)])
    assert "entries: 2" in capsys.readouterr().out


@pytest.mark.vcr
def test_submit_then_status_and_collect_later(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cache = tmp_path / "cache"
    out = tmp_path / "out.jsonl"
    with pytest.raises(SystemExit) as exit_:
        main(
            [
                "batch",
                str(HERE / "clusters.jsonl"),
                "--output",
                str(out),
                "--engine",
                "llm",
                "--openai-batch",
                "--no-wait",
                "--cache-dir",
                str(cache),
            ]
        )
    assert exit_.value.code == 0
    assert f"evenhand batch collect {BATCH_ID}" in capsys.readouterr().out
    assert not out.exists() or not out.read_text()

    with pytest.raises(SystemExit) as exit_:
        main(["batch", "status", BATCH_ID, "--cache-dir", str(cache)])
    shown = capsys.readouterr().out
    assert exit_.value.code == 0
    assert f"batch {BATCH_ID}: in_progress; 1 completed, 0 failed of 3 requests" in shown
    assert str(out) in shown

    with pytest.raises(SystemExit) as exit_:
        main(["batch", "collect", BATCH_ID, "--cache-dir", str(cache), "--poll-interval", "0.01"])
    assert exit_.value.code == 1
    assert "done 2 (cached 0), failed 1" in capsys.readouterr().out
    _check_outputs(out)

    with pytest.raises(SystemExit) as exit_:
        main(["batch", "status", "batch_unknown", "--cache-dir", str(cache)])
    assert exit_.value.code == 2
    assert "no batch batch_unknown was submitted from here" in capsys.readouterr().err


def test_a_cluster_with_an_oversized_article_is_an_error_line_not_the_end_of_the_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # It used to stop the whole submission with one InputError (exit 2), nothing written.
    src = tmp_path / "in.jsonl"
    src.write_text(
        json.dumps({"id": "long", "articles": [{"text": "word " * 120_001}]}) + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    command = ["batch", str(src), "-o", str(out), "--engine", "llm", "--openai-batch"]
    with pytest.raises(SystemExit) as exit_info:
        main([*command, "--cache-dir", str(tmp_path / "cache"), "--no-wait", "--no-progress"])
    assert exit_info.value.code == 1
    assert "failed 1" in capsys.readouterr().out
    [error] = _lines(tmp_path / "out.errors.jsonl")
    assert error["id"] == "long"
    assert error["error"]["type"] == "InputError"
    assert "the limit is 500 kB of text per article" in error["error"]["message"]
