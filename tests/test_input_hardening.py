"""Unusual input that is the user's to fix: a clear input error naming the article, on every
surface (CLI, batch, web API), never an internal error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from cli_helpers import run_cli
from evenhand.batch.inputs import read_clusters
from evenhand.web import create_app

# A lone surrogate: valid as a JSON escape, not a Unicode character, so not encodable as UTF-8.
LONE = "\\ud800"
GOOD = "The council approved the budget on Monday after a long debate in the chamber."


def test_a_lone_surrogate_in_json_input_is_an_input_error_naming_the_article(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "stories.json"
    path.write_text(
        '[{"id": "a", "text": "' + GOOD + '"}, {"id": "b", "text": "Bad ' + LONE + ' text."}]',
        encoding="utf-8",
    )
    code, out, err = run_cli(capsys, "analyze", str(path))
    assert code == 2, err
    assert out == ""
    assert "internal error" not in err
    assert "item 2" in err
    assert "surrogate" in err
    assert len(err.strip().splitlines()) == 1


def test_a_lone_surrogate_in_a_title_or_outlet_is_refused_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "one.json"
    path.write_text('{"text": "' + GOOD + '", "outlet": "Out' + LONE + '"}', encoding="utf-8")
    code, _, err = run_cli(capsys, "analyze", str(path))
    assert code == 2, err
    assert "outlet" in err
    assert "surrogate" in err


def test_a_lone_surrogate_in_a_batch_line_is_a_bad_input_line(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    line = '{"id": "c1", "articles": [{"text": "' + GOOD + '"}, {"text": "x ' + LONE + ' y"}]}'
    path.write_text(line + "\n", encoding="utf-8")
    clusters, problems = read_clusters(path)
    assert clusters == []
    assert len(problems) == 1
    assert problems[0].line == 1
    assert problems[0].id == "c1"
    assert "article 2" in problems[0].message
    assert "surrogate" in problems[0].message


def test_a_lone_surrogate_in_the_web_api_is_a_422_naming_the_source() -> None:
    body = '{"sources": [{"text": "' + GOOD + '"}, {"text": "Bad ' + LONE + ' text."}]}'
    with TestClient(create_app(), raise_server_exceptions=False) as client:
        response = client.post(
            "/api/analyze", content=body, headers={"content-type": "application/json"}
        )
        assert response.status_code == 422, response.text
        payload = response.json()
        assert payload["error"] in ("invalid_request", "input_error")
        assert "sources[1]" in payload["message"]
        assert "surrogate" in payload["message"]

        draft = '{"draft": "A draft ' + LONE + '", "sources": [{"text": "' + GOOD + '"}]}'
        response = client.post(
            "/api/check", content=draft, headers={"content-type": "application/json"}
        )
        assert response.status_code == 422, response.text
        assert "draft" in response.json()["message"]


def test_a_lone_surrogate_in_a_report_sent_for_rendering_is_a_422() -> None:
    from evenhand.data import example_paths
    from evenhand.pipeline import analyze

    report = json.loads(analyze(list(example_paths())).model_dump_json())
    report["articles"][0]["title"] = "TITLE_HERE"
    body = json.dumps(report).replace("TITLE_HERE", "Bad " + LONE)
    with TestClient(create_app(), raise_server_exceptions=False) as client:
        response = client.post(
            "/api/render?format=markdown",
            content=body,
            headers={"content-type": "application/json"},
        )
    assert response.status_code == 422, response.text
    assert "surrogate" in response.json()["message"]


# --- one article shape: {id, text, outlet, title, url} on every surface --------------------------


def test_the_web_api_takes_the_article_objects_the_cli_and_batch_take() -> None:
    articles = [
        {
            "id": "reuters-1",
            "text": GOOD,
            "outlet": "Reuters",
            "title": "Budget passes",
            "url": "https://example.com/a",
        },
        {"id": 7, "text": "Critics said the budget approved on Monday cuts library funding."},
        {"text": "A third report on the budget vote on Monday in the council chamber."},
    ]
    with TestClient(create_app(), raise_server_exceptions=False) as client:
        response = client.post("/api/analyze", json={"sources": articles})
    assert response.status_code == 200, response.text
    report = response.json()
    assert [a["id"] for a in report["articles"]] == ["reuters-1", "7", "source-3"]
    first = report["articles"][0]
    assert (first["outlet"], first["title"], first["url"]) == (
        "Reuters",
        "Budget passes",
        "https://example.com/a",
    )


def test_two_sources_with_one_id_are_refused_by_name() -> None:
    sources = [{"id": "a", "text": GOOD}, {"id": "a", "text": GOOD + " Again."}]
    with TestClient(create_app(), raise_server_exceptions=False) as client:
        response = client.post("/api/analyze", json={"sources": sources})
    assert response.status_code == 422, response.text
    assert "'a'" in response.json()["message"]
    assert "unique" in response.json()["message"]
