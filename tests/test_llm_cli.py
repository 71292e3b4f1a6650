"""`evenhand analyze --engine llm` through the CLI: dry run, configuration errors, and a local
OpenAI-compatible server on 127.0.0.1 that answers, fails or rejects, so exit codes and one-line
errors are checked end to end (never a traceback)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from evenhand.cli import main
from llm_fakes import completion

ANSWER = {
    "summary": [
        {
            "text": "Alexander Lukashenko said Russian troops could be deployed to Belarus.",
            "quotes": [
                {
                    "article_id": "source-b",
                    "quote": "Russian units and troops will be deployed to Belarus",
                }
            ],
        }
    ],
    "contested_claims": [],
    "loaded_language": [],
}


class _Server:
    """Answers POST /v1/chat/completions with the queued (status, body, headers) replies."""

    def __init__(self, replies: list[tuple[int, Any, dict[str, str]]]) -> None:
        self.replies = replies
        self.paths: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", 0))
                self.rfile.read(length)
                server.paths.append(self.path)
                status, body, headers = server.replies.pop(0)
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def __enter__(self) -> _Server:
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def example(example_files: list[Path]) -> list[str]:
    return [str(p) for p in example_files]


def _run(args: list[str]) -> int:
    with pytest.raises(SystemExit) as exited:
        main(args)
    code = exited.value.code
    return code if isinstance(code, int) else 1


def test_dry_run_prints_the_plan_and_needs_no_key(
    example: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(["analyze", *example, "--engine", "llm", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "no call made" in out
    assert "analyze" in out
    assert "source-a, source-b" in out
    assert "prompt tokens" in out
    assert "$" in out


def test_missing_key_is_one_line_naming_both_fixes(
    example: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(["analyze", *example, "--engine", "llm"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "OPENAI_API_KEY" in err
    assert "--base-url" in err
    assert "Traceback" not in err


@pytest.mark.enable_socket
def test_local_server_answer_gives_a_report(
    example: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with _Server([(200, completion(ANSWER), {})]) as server:
        code = _run(
            ["analyze", *example, "--engine", "llm", "--base-url", server.url, "--format", "json"]
        )
    out = capsys.readouterr().out
    assert code == 0
    report = json.loads(out)
    assert report["provenance"]["engine"] == "llm"
    assert report["summary"][0]["support"][0]["article_id"] == "source-b"
    assert server.paths == ["/v1/chat/completions"]


@pytest.mark.enable_socket
def test_server_failure_exits_1_with_one_line(
    example: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    failure = (503, {"error": {"message": "overloaded"}}, {"retry-after-ms": "1"})
    with _Server([failure] * 3) as server:
        code = _run(["analyze", *example, "--engine", "llm", "--base-url", server.url])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("evenhand: error: the model service at")
    assert err.count("\n") == 1
    assert len(server.paths) == 3  # the first try and two client retries


@pytest.mark.enable_socket
def test_rejected_key_exits_2(example: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with _Server([(401, {"error": {"message": "bad key"}}, {})]) as server:
        code = _run(["analyze", *example, "--engine", "llm", "--base-url", server.url])
    assert code == 2
    assert "rejected the API key" in capsys.readouterr().err
