"""evenhand.llm.recording: what a cassette may hold (no key, no account header), the readable
layout, authored fixtures that say what they are, and the eval's error when vcrpy is missing."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import openai
import pytest
import yaml
from vcr.request import Request

from evenhand.cli import main
from evenhand.errors import ConfigError
from evenhand.llm import recording

REPO = Path(__file__).resolve().parents[1]
SECRET_RESPONSE_HEADERS = [
    "Authorization",
    "OpenAI-Organization",
    "openai-project",
    "Set-Cookie",
    "x-request-id",
    "X-RateLimit-Remaining-Tokens",
    "Date",
]
LIVE_KEY = "sk-proj-live0123456789abcdefghijKLMNOP"
ECHOED_KEY = "sk-proj-live0123************************MNOP"


@pytest.mark.parametrize("header", SECRET_RESPONSE_HEADERS)
def test_response_scrubber_drops_each_secret_header(header: str) -> None:
    response = {
        "status": {"code": 200, "message": "OK"},
        "headers": {header: ["secret-value"], "Content-Type": ["application/json"]},
        "body": {"string": "{}"},
    }
    scrubbed = recording.scrub_response(response)
    assert scrubbed["headers"] == {"Content-Type": ["application/json"]}


def test_request_scrubber_keeps_only_content_type() -> None:
    headers = {
        "Authorization": f"Bearer {LIVE_KEY}",
        "OpenAI-Organization": "org-secret",
        "OpenAI-Project": "proj_secret",
        "Cookie": "session=secret",
        "X-Stainless-Lang": "python",
        "Content-Type": "application/json",
    }
    request = Request("POST", "https://api.openai.com/v1/chat/completions", b"{}", headers)
    scrubbed = recording.scrub_request(request)
    assert dict(scrubbed.headers) == {"Content-Type": "application/json"}


def test_a_key_in_a_body_is_never_written() -> None:
    request_body = {"messages": [{"role": "user", "content": f"my key is {LIVE_KEY}"}]}
    interaction = recording.authored_interaction(
        "POST",
        f"https://api.openai.com/v1/chat/completions?key={LIVE_KEY}",
        request_body=request_body,
        response_body={"error": {"message": f"Incorrect API key provided: {ECHOED_KEY}."}},
    )
    text = recording.dump_cassette({"version": 1, "interactions": [interaction]})
    assert "sk-" not in text
    assert text.count(recording.REDACTED_KEY) == 3
    # The redaction leaves the bodies valid JSON, and words that merely contain "sk-" alone.
    loaded = yaml.safe_load(text)["interactions"][0]
    assert json.loads(loaded["response"]["body"]["string"])["error"]["message"] == (
        f"Incorrect API key provided: {recording.REDACTED_KEY}."
    )
    assert recording.redact_keys("a desk-bound task-force-of-twenty-people") == (
        "a desk-bound task-force-of-twenty-people"
    )


def test_json_bodies_are_laid_out_but_a_one_line_jsonl_file_keeps_its_line() -> None:
    jsonl = '{"custom_id": "a", "response": {"status_code": 200}}\n'
    interactions = [
        recording.authored_interaction("POST", "https://h/v1/x", response_body={"a": [1, 2]}),
        recording.authored_interaction(
            "GET", "https://h/v1/f", response_body=jsonl, content_type="application/octet-stream"
        ),
    ]
    loaded = yaml.safe_load(recording.dump_cassette({"version": 1, "interactions": interactions}))
    bodies = [i["response"]["body"]["string"] for i in loaded["interactions"]]
    assert bodies == ['{\n  "a": [\n    1,\n    2\n  ]\n}\n', jsonl]


def _completion(content: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 1763800000,
        "model": recording.FIXTURE_MODEL,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": None},
                "logprobs": None,
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 5, "completion_tokens": 3, "total_tokens": 8},
    }


def test_a_written_authored_cassette_starts_with_the_fixture_comment_and_replays(
    tmp_path: Path,
) -> None:
    request_body = {"model": "m", "messages": [{"role": "user", "content": "héllo"}]}
    interaction = recording.authored_interaction(
        "POST",
        "https://api.openai.com/v1/chat/completions",
        request_body=request_body,
        response_body=_completion("hi"),
    )
    target = tmp_path / "case.yaml"
    written = recording.write_authored_cassette(
        target, "no model produced this response.\nWritten by a test.", [interaction]
    )
    text = target.read_text(encoding="utf-8")
    assert written == target
    assert text.startswith(
        "# AUTHORED FIXTURE, not a recording: no model produced this response.\n"
        "# Written by a test.\n"
        "version: 1\n"
    )
    assert recording.is_authored(text)
    assert '"content": "héllo"' in text  # readable: pretty JSON, no \\u escapes

    # The same request replays from it through the client's real HTTP path.
    client = openai.OpenAI(api_key="sk-test-dummy-key-0000", max_retries=0)
    with recording.recorder(tmp_path, "none").use_cassette(target.name):
        answer = client.chat.completions.create(
            model="m", messages=[{"role": "user", "content": "héllo"}]
        )
    assert answer.choices[0].message.content == "hi"
    assert answer.model == recording.FIXTURE_MODEL


class _Service(BaseHTTPRequestHandler):
    """A model service that answers with gzip, account headers, a cookie and an echoed key."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["content-length"]))
        echoed = f"your key {ECHOED_KEY}, organization {self.headers['openai-organization']}"
        body = gzip.compress(json.dumps(_completion(echoed)).encode())
        self.send_response(200)
        for name, value in [
            ("content-type", "application/json"),
            ("content-encoding", "gzip"),
            ("content-length", str(len(body))),
            ("openai-organization", "org-secret"),
            ("openai-project", "proj_secret"),
            ("set-cookie", "__cf_bm=secret-cookie; path=/"),
            ("x-request-id", "req_secret"),
        ]:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def service_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Service)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.mark.enable_socket
def test_a_recording_holds_no_key_or_account_header_and_replays(
    tmp_path: Path, service_url: str
) -> None:
    def ask() -> str | None:
        client = openai.OpenAI(
            api_key=LIVE_KEY,
            organization="org-secret",
            project="proj_secret",
            base_url=service_url,
            max_retries=0,
        )
        answer = client.chat.completions.create(
            model="m", messages=[{"role": "user", "content": "hello"}]
        )
        return answer.choices[0].message.content

    with recording.recorder(tmp_path, "once").use_cassette("recorded.yaml"):
        live = ask()
    assert live == f"your key {ECHOED_KEY}, organization org-secret"

    text = (tmp_path / "recorded.yaml").read_text(encoding="utf-8")
    assert text.startswith(recording.RECORDED_HEADER)
    assert not recording.is_authored(text)
    lowered = text.lower()
    for secret in ("sk-", "proj_secret", "secret-cookie", "req_secret", "bearer"):
        assert secret not in lowered, secret
    for header in (*SECRET_RESPONSE_HEADERS, "content-encoding", "content-length"):
        assert f"{header.lower()}:" not in lowered, header
    # Decoded from gzip and laid out as readable JSON.
    assert '"object": "chat.completion"' in text

    with recording.recorder(tmp_path, "none").use_cassette("recorded.yaml"):
        replayed = ask()
    assert replayed == f"your key {recording.REDACTED_KEY}, organization org-secret"


def test_import_evenhand_needs_neither_vcrpy_nor_yaml() -> None:
    code = (
        "import sys\n"
        "sys.modules['vcr'] = None\n"
        "sys.modules['yaml'] = None\n"
        "import evenhand, evenhand.cli, evenhand.llm.recording, evenhand.evaluation.replay\n"
        "print('ok')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_eval_record_without_vcrpy_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "vcr", None)  # `import vcr` now fails
    with pytest.raises(ConfigError, match="needs vcrpy"):
        recording.recorder(tmp_path, "none")

    args = ["eval", "--engine", "llm", "--record", "--base-url", "http://127.0.0.1:9/v1"]
    args += ["--cases", "lukashenko-troops", "--cases-dir", str(REPO / "evals" / "cases")]
    args += ["--cassettes-dir", str(tmp_path), "--out", str(tmp_path / "out")]
    with pytest.raises(SystemExit) as done:
        main(args)
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert "needs vcrpy, which is not installed: pip install 'evenhand[eval]'" in err
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()
