"""The web API: reports in the contract's shape, limits with JSON errors a person can act on, and
never a traceback. In-process through TestClient, except where a real socket is the point."""

from __future__ import annotations

import asyncio
import json
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.types import Message

import evenhand
from evenhand.data import example_paths
from evenhand.renderers import render
from evenhand.schema import CheckReport, Report
from evenhand.web import WebSettings, create_app
from evenhand.web.app import STATIC_DIR
from evenhand.web.convert import article_ids, to_articles
from evenhand.web.limits import BodySizeLimit
from evenhand.web.models import SourceIn
from evenhand.web.server import serve_in_thread

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.fake_server import FakeConfig, FakeServer  # noqa: E402


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(create_app(), raise_server_exceptions=False) as test_client:
        yield test_client


def _example_sources() -> list[dict[str, Any]]:
    return [
        {"text": p.read_text(encoding="utf-8"), "filename": p.name, "outlet": f"Outlet {i}"}
        for i, p in enumerate(example_paths(), start=1)
    ]


def _error(response: Any, status: int, kind: str) -> str:
    """Assert a JSON error of this status and kind; return its message."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error", "message"}
    assert body["error"] == kind
    assert "Traceback" not in body["message"]
    message: str = body["message"]
    return message


# --- what the page needs ----------------------------------------------------------------------


def test_health_config_and_schema(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok", "version": evenhand.__version__}

    config = client.get("/api/config").json()
    engines = {e["name"]: e for e in config["engines"]}
    assert engines["offline"]["available"] is True
    assert engines["llm"]["available"] is False
    assert "OPENAI_API_KEY" in engines["llm"]["detail"]
    assert config["limits"] == {
        "max_request_bytes": 2_000_000,
        "max_articles": 10,
        "request_timeout_seconds": 120.0,
    }

    assert client.get("/api/schema").json() == Report.model_json_schema()
    assert client.get("/api/schema?model=check").json() == CheckReport.model_json_schema()
    _error(client.get("/api/schema?model=other"), 422, "invalid_request")


def test_llm_engine_is_offered_when_the_server_has_a_base_url() -> None:
    settings = WebSettings(
        llm_available=True, llm_options={"model": "local-model", "base_url": "http://h:1/v1"}
    )
    with TestClient(create_app(settings)) as client:
        llm = next(e for e in client.get("/api/config").json()["engines"] if e["name"] == "llm")
    assert llm["available"] is True
    assert llm["detail"] == "local-model at http://h:1/v1."


def test_page_assets_are_local_and_the_page_is_locked_down(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "default-src 'none'" in policy
    assert page.headers["x-content-type-options"] == "nosniff"
    for asset in ("app.js", "dom.js", "report-view.js", "style.css", "favicon.svg"):
        assert client.get(f"/static/{asset}").status_code == 200
    assert "http" not in page.text.replace('href="/docs"', "")  # nothing loaded from elsewhere
    docs = client.get("/docs").text
    assert "/docs-assets/swagger-ui-bundle.js" in docs
    assert "cdn." not in docs
    assert client.get("/docs-assets/swagger-ui-bundle.js").status_code == 200
    assert client.get("/redoc").status_code == 404  # ReDoc would fetch its logo from a CDN
    assert "/api/analyze" in client.get("/openapi.json").json()["paths"]


def test_no_script_in_the_page_builds_html_from_strings() -> None:
    for script in STATIC_DIR.glob("*.js"):
        code = script.read_text(encoding="utf-8")
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
            assert sink not in code, f"{script.name} uses {sink}"


# --- analyse ----------------------------------------------------------------------------------


def test_analyze_returns_the_report_the_library_makes(client: TestClient) -> None:
    sources = _example_sources()
    response = client.post("/api/analyze", json={"sources": sources})
    assert response.status_code == 200, response.text
    report = Report.model_validate(response.json())
    assert [a.id for a in report.articles] == ["source-a", "source-b"]
    assert [a.outlet for a in report.articles] == ["Outlet 1", "Outlet 2"]
    expected = evenhand.analyze(to_articles([SourceIn(**s) for s in sources]))
    assert report.summary == expected.summary
    assert report.contested_claims == expected.contested_claims
    assert report.loaded_language == expected.loaded_language
    assert report.provenance.engine == "offline"


def test_analyze_renders_markdown_with_the_cli_renderer(client: TestClient) -> None:
    response = client.post("/api/analyze?format=markdown", json={"sources": _example_sources()})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/markdown")
    report = Report.model_validate(
        client.post("/api/analyze", json={"sources": _example_sources()}).json()
    )
    assert response.text.splitlines()[0] == render(report, "markdown").splitlines()[0]
    for sentence in report.summary:
        assert sentence.text in response.text
    # Schema 2.0: the claim's actors, with the badges of the outlets that report them.
    assert "- **Sviatlana Tsikhanouskaya** (person) `Outlet 1`:" in response.text
    assert "- **Outlet 1** (outlet's own voice) `Outlet 1`: “without providing any evidence”" in (
        response.text
    )


def test_analyze_gives_the_actors_of_the_election_claim(client: TestClient) -> None:
    report = client.post("/api/analyze", json={"sources": _example_sources()}).json()
    assert report["schema_version"] == "2.0"
    claim = next(c for c in report["contested_claims"] if c["kind"] == "disputed")
    actors = {(a["actor"], a["stance"]): a for a in claim["actors"]}
    assert actors["Belarus", "disputes"]["reported_by"] == ["source-a"]
    assert actors["Western governments", "asserts"]["kind"] == "government"
    assert actors["Outlet 1", "disputes"]["kind"] == "outlet"
    assert 0 <= claim["confidence"] <= 1


def test_render_exports_the_report_the_page_holds(client: TestClient) -> None:
    report = client.post("/api/analyze", json={"sources": _example_sources()}).json()
    markdown = client.post("/api/render?format=markdown", json=report)
    assert markdown.status_code == 200
    assert markdown.text == render(Report.model_validate(report), "markdown")
    html = client.post("/api/render?format=html", json=report)
    assert html.headers["content-type"].startswith("text/html")
    _error(client.post("/api/render?format=pdf", json=report), 422, "invalid_request")
    broken = {**report, "summary": "not a list"}
    message = _error(client.post("/api/render", json=broken), 422, "invalid_request")
    assert "summary" in message


def test_example_endpoint_gives_the_bundled_articles(client: TestClient) -> None:
    example = client.get("/api/example").json()
    assert [s["filename"] for s in example["sources"]] == [p.name for p in example_paths()]
    assert example["sources"][0]["text"] == example_paths()[0].read_text(encoding="utf-8")


def test_uploaded_html_is_read_for_its_article_text(client: TestClient) -> None:
    body = " ".join(["The council approved the new budget after a long debate."] * 4)
    page = (
        "<html><head><title>Budget passes</title></head><body><nav>Home About Contact</nav>"
        f"<article><h1>Budget passes</h1><p>{body}</p><p>{body}</p></article>"
        "<script>var tracking = 1;</script></body></html>"
    )
    response = client.post(
        "/api/analyze", json={"sources": [{"text": page, "filename": "budget.html"}]}
    )
    assert response.status_code == 200, response.text
    article = Report.model_validate(response.json()).articles[0]
    assert article.id == "budget"
    assert "tracking" not in article.text
    assert "<p>" not in article.text
    assert "approved the new budget" in article.text


def test_ids_come_from_file_names_then_outlets_and_stay_unique() -> None:
    sources = [
        SourceIn(text="x", filename="C:\\news\\story.txt"),
        SourceIn(text="x", filename="story.md"),
        SourceIn(text="x", outlet="The Daily Planet"),
        SourceIn(text="x"),
    ]
    assert article_ids(sources) == ["story", "story-2", "the-daily-planet", "source-4"]


# --- limits and errors ------------------------------------------------------------------------


def test_request_body_over_the_limit_is_refused_with_413() -> None:
    settings = WebSettings(max_request_bytes=5_000)
    with TestClient(create_app(settings)) as client:
        sources = [{"text": "word " * 2_000}]
        message = _error(client.post("/api/analyze", json={"sources": sources}), 413, "too_large")
    assert "at most 5 kB" in message
    assert "--max-request-mb" in message


def test_body_limit_stops_reading_a_chunked_body_at_the_limit() -> None:
    """No Content-Length: the body is read only until it passes the limit, then refused."""
    chunks_read = 0
    app_called = False
    sent: list[Message] = []

    async def receive() -> Message:
        nonlocal chunks_read
        chunks_read += 1
        return {"type": "http.request", "body": b"x" * 1_000, "more_body": True}

    async def send(message: Message) -> None:
        sent.append(message)

    async def app(scope: Any, receive: Any, send: Any) -> None:
        nonlocal app_called
        app_called = True

    limited = BodySizeLimit(app, limit_for=lambda path: 2_500)
    scope = {"type": "http", "method": "POST", "path": "/api/analyze", "headers": []}
    asyncio.run(limited(scope, receive, send))
    assert chunks_read == 3  # 3,000 bytes > 2,500: the endless body is not read further
    assert not app_called
    assert sent[0]["status"] == 413
    assert json.loads(sent[1]["body"])["error"] == "too_large"


@pytest.mark.enable_socket
def test_declared_size_over_the_limit_is_refused_before_the_body_is_sent() -> None:
    with serve_in_thread(create_app(WebSettings(max_request_bytes=1_000))) as url:
        host, port = url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=10) as conn:
            conn.sendall(
                b"POST /api/analyze HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                b"Content-Length: 50000000\r\n\r\n"
            )
            answer = b""
            while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
                chunk = conn.recv(4096)
                if not chunk:
                    break
                answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413")
    assert json.loads(body)["message"].startswith("the request is 50.0 MB")


def test_too_many_articles_and_none(client: TestClient) -> None:
    eleven = [{"text": f"Article {i} says the council met."} for i in range(11)]
    message = _error(
        client.post("/api/analyze", json={"sources": eleven}), 422, "too_many_articles"
    )
    assert message.startswith("11 sources given; this server analyses at most 10")
    _error(client.post("/api/analyze", json={"sources": []}), 422, "no_articles")


def test_invalid_requests_say_which_field(client: TestClient) -> None:
    message = _error(
        client.post("/api/analyze", json={"sources": [{"outlet": "X"}]}), 422, "invalid_request"
    )
    assert message.startswith("sources[0]:")
    assert "text or its URL" in message
    message = _error(
        client.post(
            "/api/analyze", content=b"{not json", headers={"content-type": "application/json"}
        ),
        422,
        "invalid_request",
    )
    assert "not valid JSON" in message
    message = _error(
        client.post("/api/analyze", json={"sources": _example_sources(), "engine": "magic"}),
        422,
        "invalid_request",
    )
    assert message.startswith("engine:")


def test_private_and_odd_urls_are_refused_without_fetching(client: TestClient) -> None:
    for url in ("http://127.0.0.1:9/a", "http://10.0.0.5/a", "http://[::1]/a"):
        message = _error(
            client.post("/api/analyze", json={"sources": [{"url": url}]}), 422, "input_error"
        )
        assert "private" in message
        assert "paste the article's text" in message
    message = _error(
        client.post("/api/analyze", json={"sources": [{"url": "file:///etc/passwd"}]}),
        422,
        "input_error",
    )
    assert "not an http(s) URL" in message


def test_text_that_looks_like_a_path_is_never_read_from_disk(client: TestClient) -> None:
    response = client.post("/api/analyze", json={"sources": [{"text": "/etc/hostname"}]})
    assert response.status_code == 200, response.text
    assert Report.model_validate(response.json()).articles[0].text == "/etc/hostname"


def test_llm_engine_refused_when_not_configured(client: TestClient) -> None:
    message = _error(
        client.post("/api/analyze", json={"sources": _example_sources(), "engine": "llm"}),
        400,
        "engine_not_available",
    )
    assert "OPENAI_API_KEY" in message
    assert "--base-url" in message


def test_unknown_paths_and_methods_answer_json(client: TestClient) -> None:
    assert "/docs" in _error(client.get("/nope"), 404, "not_found")
    _error(client.get("/api/analyze"), 405, "method_not_allowed")


def test_loopback_server_answers_only_loopback_host_names() -> None:
    """A page on another domain that resolves to 127.0.0.1 (DNS rebinding) gets nothing."""
    settings = WebSettings(allowed_hosts=["127.0.0.1", "localhost", "::1"])
    with TestClient(create_app(settings)) as client:
        for host in ("localhost:8000", "127.0.0.1:8000", "[::1]:8000", "LOCALHOST"):
            assert client.get("/healthz", headers={"host": host}).status_code == 200
        refused = client.post(
            "/api/analyze", json={"sources": _example_sources()}, headers={"host": "evil.example"}
        )
        message = _error(refused, 400, "bad_host")
    assert "'evil.example'" in message
    assert "127.0.0.1 or ::1 or localhost" in message


def test_offline_engine_in_worker_processes_gives_the_same_answers() -> None:
    """With `processes`, offline work runs in a process pool; results and errors come back whole."""
    sources = _example_sources()
    with TestClient(create_app(WebSettings(processes=1))) as client:
        report = client.post("/api/analyze", json={"sources": sources})
        assert report.status_code == 200, report.text
        markdown = client.post("/api/analyze?format=markdown", json={"sources": sources})
        refused = client.post("/api/analyze", json={"sources": [{"url": "http://10.1.2.3/"}]})
        checked = client.post("/api/check", json={"draft": DRAFT, "report": report.json()})
    expected = evenhand.analyze(to_articles([SourceIn(**s) for s in sources]))
    assert Report.model_validate(report.json()).summary == expected.summary
    assert markdown.headers["content-type"].startswith("text/markdown")
    assert "paste the article's text" in _error(refused, 422, "input_error")
    assert CheckReport.model_validate(checked.json()).draft == DRAFT


# --- the LLM engine over a local fake model server ----------------------------------------------


def _llm_settings(url: str, **limits: Any) -> WebSettings:
    options = {"base_url": url, "model": "fake-model", "structured": "json", "timeout": 60.0}
    return WebSettings(llm_available=True, llm_options=options, **limits)


@pytest.mark.enable_socket
def test_llm_engine_through_the_api() -> None:
    with FakeServer(FakeConfig()) as fake, TestClient(create_app(_llm_settings(fake.url))) as c:
        response = c.post("/api/analyze", json={"sources": _example_sources(), "engine": "llm"})
    assert response.status_code == 200, response.text
    report = Report.model_validate(response.json())
    assert report.provenance.engine == "llm"
    assert report.provenance.model == "fake-model"
    assert report.summary


@pytest.mark.enable_socket
def test_model_failure_is_a_502_with_the_reason() -> None:
    config = FakeConfig(fault_rate=1.0, faults=("500",))
    with FakeServer(config) as fake, TestClient(create_app(_llm_settings(fake.url))) as c:
        response = c.post("/api/analyze", json={"sources": _example_sources(), "engine": "llm"})
    assert "HTTP 500" in _error(response, 502, "model_error")


@pytest.mark.enable_socket
def test_analysis_over_the_time_limit_is_a_504() -> None:
    with FakeServer(FakeConfig(latency=1.5)) as fake:
        app: FastAPI = create_app(_llm_settings(fake.url, request_timeout=0.2))
        with TestClient(app) as client:
            sources = _example_sources()
            response = client.post("/api/analyze", json={"sources": sources, "engine": "llm"})
        app.state.runner.threads.shutdown(wait=True)  # the abandoned run ends before the server
    message = _error(response, 504, "timeout")
    assert "longer than 0.2 s" in message
    assert "--request-timeout" in message


# --- check a draft ----------------------------------------------------------------------------


DRAFT = (
    "Self-proclaimed president Alexander Lukashenko said Russian troops would be deployed "
    "to Belarus immediately."
)


def test_check_against_sources_and_against_a_report(client: TestClient) -> None:
    sources = _example_sources()
    by_sources = client.post("/api/check", json={"draft": DRAFT, "sources": sources})
    assert by_sources.status_code == 200, by_sources.text
    checked = CheckReport.model_validate(by_sources.json())
    assert checked.draft == DRAFT
    expected = evenhand.check(DRAFT, to_articles([SourceIn(**s) for s in sources]))
    assert [f.check for f in checked.findings] == [f.check for f in expected.findings]
    located = [f for f in checked.findings if f.location and f.location.target == "draft"]
    assert any(
        DRAFT[f.location.start or 0 : f.location.end or 0] == "Self-proclaimed"
        for f in located
        if f.location
    )

    report = client.post("/api/analyze", json={"sources": sources}).json()
    by_report = client.post("/api/check", json={"draft": DRAFT, "report": report})
    assert by_report.status_code == 200
    assert CheckReport.model_validate(by_report.json()).findings == checked.findings


def test_check_renders_markdown_with_the_cli_renderer(client: TestClient) -> None:
    report = client.post("/api/analyze", json={"sources": _example_sources()}).json()
    body = {"draft": DRAFT, "report": report}
    checked = CheckReport.model_validate(client.post("/api/check", json=body).json())
    markdown = client.post("/api/check?format=markdown", json=body)
    assert markdown.status_code == 200, markdown.text
    assert markdown.headers["content-type"].startswith("text/markdown")
    assert markdown.text.splitlines()[0] == render(checked, "markdown").splitlines()[0]
    for finding in checked.findings:
        assert finding.message in markdown.text
    exported = client.post("/api/render?format=markdown", json=checked.model_dump(mode="json"))
    assert exported.text == render(checked, "markdown")


def test_check_needs_sources_or_a_report_not_both(client: TestClient) -> None:
    message = _error(client.post("/api/check", json={"draft": DRAFT}), 422, "invalid_request")
    assert "give the sources" in message
    report = client.post("/api/analyze", json={"sources": _example_sources()}).json()
    both = {"draft": DRAFT, "report": report, "sources": _example_sources()}
    _error(client.post("/api/check", json=both), 422, "invalid_request")
    empty = {"draft": "", "sources": _example_sources()}
    assert _error(client.post("/api/check", json=empty), 422, "invalid_request").startswith(
        "draft:"
    )


def test_error_messages_name_fields_not_validators(client: TestClient) -> None:
    # Pydantic's validator and union-member names used to lead every field of a bad report.
    message = _error(
        client.post("/api/render?format=markdown", json={"x": 1}), 422, "invalid_request"
    )
    assert "function-after" not in message
    assert "Report" not in message
    assert message.startswith("articles: Field required")
    broken = client.post(
        "/api/analyze", content=b'{"sources": [', headers={"content-type": "application/json"}
    )
    assert _error(broken, 422, "invalid_request") == "request body: not valid JSON"


def test_a_binary_draft_is_an_input_error(client: TestClient) -> None:
    body = {"draft": "\u0000\u0001 binary", "sources": _example_sources()}
    message = _error(client.post("/api/check", json=body), 422, "input_error")
    assert "NUL bytes" in message


# --- evenhand serve ---------------------------------------------------------------------------


def _serve(*args: str) -> int:
    """Run `evenhand serve ARGS` in this process; the exit code it ends with."""
    from evenhand.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["serve", *args])
    return int(exit_info.value.code or 0)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--port", "70000"], "--port must be between 1 and 65535 (got 70000)"),
        (["--max-articles", "0"], "--max-articles must be at least 1"),
        (["--max-request-mb", "0"], "--max-request-mb must be above 0"),
        (["--request-timeout", "-1"], "--request-timeout must be above 0"),
        (["--workers", "0"], "--workers must be at least 1"),
        (["--structured", "loose"], "--structured takes strict, json, json_object or plain"),
    ],
)
def test_serve_refuses_bad_options_in_one_line(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = _serve(*args)
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("evenhand: error: ")
    assert message in err
    assert "Traceback" not in err


@pytest.mark.enable_socket
def test_serve_says_when_the_port_is_taken(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        code = _serve("--port", str(port))
    err = capsys.readouterr().err
    assert code == 2
    assert f"cannot listen on 127.0.0.1:{port}" in err
    assert "choose another --port" in err


@pytest.mark.enable_socket
def test_serve_with_workers_hands_its_settings_to_each_process(tmp_path: Path) -> None:
    import subprocess
    import time

    import httpx

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-c", "from evenhand.cli import main; main()", "serve"]
    command += ["--port", str(port), "--workers", "2", "--max-articles", "3"]
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    try:
        config = None
        for _ in range(300):  # until the workers answer (polling, not timing)
            try:
                config = httpx.get(f"http://127.0.0.1:{port}/api/config", timeout=2).json()
                break
            except httpx.TransportError:
                assert process.poll() is None, (tmp_path / "serve.log").read_text()
                time.sleep(0.1)
        assert config is not None, "the server never answered"
        assert config["limits"]["max_articles"] == 3
        four = {"sources": [{"text": f"Article {i} on the vote."} for i in range(4)]}
        response = httpx.post(f"http://127.0.0.1:{port}/api/analyze", json=four, timeout=30)
        assert response.status_code == 422
        assert response.json()["error"] == "too_many_articles"
        rebound = httpx.get(f"http://127.0.0.1:{port}/", headers={"host": "evil.example"})
        assert rebound.status_code == 400
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
    assert "serving on http://127.0.0.1" in (tmp_path / "serve.log").read_text()


# --- the loaded-term threshold ----------------------------------------------------------------


def test_min_confidence_is_declared_in_the_api_schema(client: TestClient) -> None:
    from evenhand.annotate.loaded import DEFAULT_MIN_CONFIDENCE

    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    for name in ("AnalyzeRequest", "CheckRequest"):
        field = schemas[name]["properties"]["min_confidence"]
        assert (field["minimum"], field["maximum"]) == (0, 1)
        assert field["default"] == DEFAULT_MIN_CONFIDENCE
        assert "false alarms" in field["description"]
    assert client.get("/api/config").json()["default_min_confidence"] == DEFAULT_MIN_CONFIDENCE


@pytest.mark.parametrize("threshold", [0.0, 0.5, 1.0])
def test_analyze_lists_the_terms_at_or_above_min_confidence(
    client: TestClient, threshold: float
) -> None:
    sources = _example_sources()
    body = {"sources": sources, "min_confidence": threshold}
    response = client.post("/api/analyze", json=body)
    assert response.status_code == 200, response.text
    terms = Report.model_validate(response.json()).loaded_language
    # The tagger's own finds meet the threshold; the lexicon's are listed whatever it is.
    assert all(t.confidence >= threshold for t in terms if t.origin == "model")
    articles = to_articles([SourceIn(**s) for s in sources])
    assert terms == evenhand.analyze(articles, min_confidence=threshold).loaded_language


def test_check_passes_min_confidence_on(client: TestClient) -> None:
    report = client.post("/api/analyze", json={"sources": _example_sources(), "min_confidence": 0})
    body = {"draft": DRAFT, "report": report.json(), "min_confidence": 1}
    checked = CheckReport.model_validate(client.post("/api/check", json=body).json())
    expected = evenhand.check(
        DRAFT, [], report=Report.model_validate(report.json()), min_confidence=1
    )
    assert checked.findings == expected.findings


@pytest.mark.parametrize("value", [1.5, -0.1, "high"])
@pytest.mark.parametrize("path", ["/api/analyze", "/api/check"])
def test_min_confidence_outside_0_to_1_is_refused_by_name(
    client: TestClient, path: str, value: object
) -> None:
    body: dict[str, Any] = {"sources": _example_sources(), "min_confidence": value}
    if path == "/api/check":
        body["draft"] = DRAFT
    message = _error(client.post(path, json=body), 422, "invalid_request")
    assert message.startswith("min_confidence:")
