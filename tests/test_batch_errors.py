"""The errors file of a batch run: the message and the attempts it records agree."""

from __future__ import annotations

import json
from pathlib import Path

from evenhand.batch import BatchOptions, run_batch
from evenhand.engines.llm import LLMEngine
from llm_fakes import FakeModel, Reply, Sent

TEXT = "The council approved the budget on Monday by five votes to two after a long debate."


def test_a_cluster_that_fails_every_retry_says_how_many_attempts_it_made(tmp_path: Path) -> None:
    def failing(sent: Sent) -> Reply:
        return Reply(500, {"error": {"message": "boom"}}, {"retry-after-ms": "1"})

    fake = FakeModel(responder=failing)
    # What the runner builds for --engine llm --retries 2: each model call retries twice.
    engine = LLMEngine(
        client=fake.client(max_retries=2),
        async_client=fake.async_client(max_retries=2),
        http_retries=2,
    )
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "c1", "articles": [TEXT]}) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    options = BatchOptions(engine="llm", retries=2, use_cache=False, progress=False)
    summary = run_batch(source, out, options, engine=engine, notify=lambda m: None)
    assert summary.failed == 1
    (record,) = [json.loads(x) for x in (tmp_path / "out.errors.jsonl").read_text().splitlines()]
    error = record["error"]
    assert error["attempts"] == 3
    assert len(fake.requests) == 3
    assert "after 2 retries" in error["message"]
    assert error["retryable"] is True
