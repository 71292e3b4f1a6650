"""Waiting on a rate-limited model service: said on stderr (how long, which retry), and bounded
by the call's timeout, so a long `retry-after` ends in a clear error instead of a silent wait."""

from __future__ import annotations

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from evenhand.cli import main
from evenhand.cli.errors import cli_message
from evenhand.engines.llm import LLMEngine
from evenhand.errors import RateLimitError, ServiceError
from evenhand.schema import Article
from llm_fakes import COUNCIL_ANSWER, FakeModel, Reply, completion

A = Article(id="a", outlet="A", text="The council approved the budget on Monday by five votes.")
B = Article(id="b", outlet="B", text="Critics said the budget, approved on Monday, cuts funding.")
GOOD = COUNCIL_ANSWER


def _limited(seconds: str) -> Reply:
    body = {"error": {"message": "Rate limit reached", "type": "requests", "code": None}}
    return Reply(429, body, {"retry-after": seconds})


def _engine(fake: FakeModel, *, retries: int = 2, timeout: float = 30.0) -> LLMEngine:
    return LLMEngine(client=fake.client(max_retries=retries), http_retries=retries, timeout=timeout)


def test_a_wait_for_a_rate_limited_service_is_announced(caplog: pytest.LogCaptureFixture) -> None:
    fake = FakeModel([_limited("1.2"), completion(GOOD)])
    with caplog.at_level(logging.WARNING, logger="evenhand"):
        _engine(fake).analyze([A, B], max_words=60)
    assert len(fake.requests) == 2
    notes = [r.getMessage() for r in caplog.records if r.name.startswith("evenhand")]
    assert len(notes) == 1, notes
    assert "429" in notes[0]
    assert "waiting 1.2 s" in notes[0]
    assert "retry 1 of 2" in notes[0]


def test_a_retry_after_longer_than_the_timeout_allows_fails_at_once() -> None:
    fake = FakeModel([_limited("50")] * 3)
    with pytest.raises(RateLimitError) as caught:
        _engine(fake, timeout=5).analyze([A, B], max_words=60)
    assert len(fake.requests) == 1  # no 50 s wait, no second request
    message = str(caught.value)
    assert "50 s" in message
    assert "raise `timeout`" in message
    assert caught.value.option == "timeout"
    assert (caught.value.status_code, caught.value.attempts) == (429, 1)
    assert "raise --timeout" in cli_message(caught.value)


def test_waits_add_up_to_at_most_the_timeout() -> None:
    fake = FakeModel([_limited("0.3")] * 3)
    with pytest.raises(RateLimitError) as caught:
        _engine(fake, timeout=0.5).analyze([A, B], max_words=60)
    assert len(fake.requests) == 2  # waited 0.3 s once; a second 0.3 s would pass 0.5 s
    assert "after 1 retry" in str(caught.value)


def test_exhausted_retries_say_how_many_were_made() -> None:
    fake = FakeModel([Reply(500, {"error": {"message": "boom"}}, {"retry-after-ms": "1"})] * 3)
    with pytest.raises(ServiceError) as caught:
        _engine(fake, retries=2).analyze([A, B], max_words=60)
    assert len(fake.requests) == 3
    assert "after 2 retries" in str(caught.value)


class _Server:
    def __init__(self, replies: list[tuple[int, Any, dict[str, str]]]) -> None:
        self.replies = replies
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("content-length", 0)))
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


@pytest.mark.enable_socket
@pytest.mark.parametrize("quiet", [False, True])
def test_analyze_says_on_stderr_that_it_waits(
    example_files: list[Path], capsys: pytest.CaptureFixture[str], quiet: bool
) -> None:
    limited = (429, {"error": {"message": "slow down"}}, {"retry-after": "1"})
    args = ["analyze", *map(str, example_files), "--engine", "llm", "--format", "json"]
    with (
        _Server([limited, (200, completion(ANSWER), {})]) as server,
        pytest.raises(SystemExit) as exited,
    ):
        main([*args, "--base-url", server.url, *(["--quiet"] if quiet else [])])
    captured = capsys.readouterr()
    assert exited.value.code in (0, None), captured.err
    assert json.loads(captured.out)["provenance"]["engine"] == "llm"
    if quiet:
        assert captured.err == ""
    else:
        assert captured.err.startswith("evenhand: the model service at 127.0.0.1")
        assert "waiting 1 s" in captured.err
        assert captured.err.count("\n") == 1
