"""`evenhand batch` against a local server: its slots bound the clusters in flight, and the cost of
a model with no known price is "n/a", not $0."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from evenhand.batch import BatchOptions, run_batch
from evenhand.batch.runner import BatchSummary
from evenhand.engines.llm import LLMEngine
from llm_fakes import FakeModel, Sent, completion

LOCAL = "http://127.0.0.1:8080/v1"
TEXT = "The council approved the budget on Monday by five votes to two."
ANSWER: dict[str, Any] = {
    "summary": [{"text": "The council approved the budget.", "quotes": []}],
    "contested_claims": [],
    "loaded_language": [],
}


def _input(path: Path, n: int) -> Path:
    lines = [
        json.dumps({"id": f"c{i}", "articles": [{"id": "a", "text": f"{TEXT} Ref {i}."}]})
        for i in range(n)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _answer(sent: Sent) -> dict[str, Any]:
    return completion(ANSWER, model="gemma-3-270m")


def test_a_one_slot_server_gets_one_cluster_at_a_time_and_the_cost_is_na(tmp_path: Path) -> None:
    fake = FakeModel(responder=_answer, server={"/props": {"total_slots": 1}})
    engine = LLMEngine(
        base_url=LOCAL,
        model="gemma-3-270m",
        client=fake.client(base_url=LOCAL),
        async_client=fake.async_client(base_url=LOCAL),
        http_retries=0,
    )
    notes: list[str] = []
    summary = run_batch(
        _input(tmp_path / "in.jsonl", 3),
        tmp_path / "out.jsonl",
        BatchOptions(engine="llm", concurrency=8, progress=False, use_cache=False),
        engine=engine,
        notify=notes.append,
    )
    assert summary.done == 3
    assert any("1 request at a time" in n and "not the 8 asked for" in n for n in notes)
    assert "estimated cost n/a (no price known for this model)" in summary.text()
    assert "$0.0000" not in summary.text()


def test_a_priced_run_with_some_unpriced_clusters_says_both(tmp_path: Path) -> None:
    summary = BatchSummary(output=tmp_path / "o", errors=tmp_path / "e", done=3)
    summary.cost_usd, summary.unpriced = 0.0123, 1
    assert "estimated cost $0.0123 (n/a for 1 clusters: no price known)" in summary.text()
    summary.unpriced = 0
    assert "estimated cost $0.0123\n" in summary.text()
