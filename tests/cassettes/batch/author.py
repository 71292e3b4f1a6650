"""Writes the AUTHORED Batch API cassettes in this folder (no service produced them).

    python tests/cassettes/batch/author.py

The requests are the ones the LLM engine really builds for `clusters.jsonl`; the answers are
written here in the exact wire format of the Files and Batches APIs and of Chat Completions
(response model 'fixture-authored'). "bridge" is answered faithfully, "strike" with a misquoted
span that grounding must catch, and "flood" ends in the batch's error file. Re-run after a prompt
change.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
sys.path[:0] = [str(REPO), str(REPO / "src")]

from bench.fake_server import author_content  # noqa: E402

from evenhand.batch.inputs import parse_cluster  # noqa: E402
from evenhand.engines.llm import LLMEngine  # noqa: E402
from evenhand.llm.recording import (  # noqa: E402
    FIXTURE_MODEL,
    authored_interaction,
    write_authored_cassette,
)

# Follows the AUTHORED FIXTURE mark at the top of each cassette.
NOTE = (
    "no service produced these responses. They are written\n"
    "in the exact wire format of the OpenAI Files, Batches and Chat Completions APIs (response\n"
    "model 'fixture-authored') by tests/cassettes/batch/author.py. Requests match on method and\n"
    "path (a file upload's multipart boundary is random)."
)
BATCH_ID = "batch_authored_0001"
CREATED = 1_763_800_000
API = "https://api.openai.com/v1"
MISQUOTE = (
    "Militant union bosses pulled nurses off the wards",
    "Union leaders ordered every nurse off the wards",
)


def _interaction(
    method: str, path: str, body: Any, content_type: str = "application/json"
) -> dict[str, Any]:
    return authored_interaction(
        method, f"{API}{path}", response_body=body, content_type=content_type
    )


def _batch(status: str, completed: int, failed: int, total: int, done: bool) -> dict[str, Any]:
    return {
        "id": BATCH_ID,
        "object": "batch",
        "endpoint": "/v1/chat/completions",
        "errors": None,
        "input_file_id": "file-authored-input",
        "completion_window": "24h",
        "status": status,
        "output_file_id": "file-authored-output" if done else None,
        "error_file_id": "file-authored-errors" if done else None,
        "created_at": CREATED,
        "in_progress_at": CREATED + 5,
        "expires_at": CREATED + 86_400,
        "finalizing_at": CREATED + 600 if done else None,
        "completed_at": CREATED + 620 if done else None,
        "failed_at": None,
        "expired_at": None,
        "cancelling_at": None,
        "cancelled_at": None,
        "request_counts": {"total": total, "completed": completed, "failed": failed},
        "metadata": {"created_by": "evenhand", "input": "clusters.jsonl"},
    }


def _completion(custom_id: str, body: dict[str, Any], n: int) -> dict[str, Any]:
    content = author_content(body)
    if custom_id == "strike":
        content = content.replace(*MISQUOTE)
    usage = {
        "prompt_tokens": 1400 + 10 * n,
        "completion_tokens": 180 + n,
        "total_tokens": 1580 + 11 * n,
    }
    return {
        "id": f"batch_req_authored_{n}",
        "custom_id": custom_id,
        "response": {
            "status_code": 200,
            "request_id": f"req_authored_{n}",
            "body": {
                "id": f"chatcmpl-authored-{n}",
                "object": "chat.completion",
                "created": CREATED + 300,
                "model": FIXTURE_MODEL,
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": content, "refusal": None},
                        "logprobs": None,
                        "finish_reason": "stop",
                    }
                ],
                "usage": usage,
                "system_fingerprint": None,
            },
        },
        "error": None,
    }


def main() -> None:
    engine = LLMEngine(api_key="sk-authoring-only")
    lines = (HERE / "clusters.jsonl").read_text(encoding="utf-8").splitlines()
    clusters = [parse_cluster(raw, i) for i, raw in enumerate(lines, 1)]
    requests = {}
    for cluster in clusters:
        built = engine.plan(cluster.articles, max_words=130).batch_lines(cluster.key)
        assert built is not None
        requests[cluster.key] = built[0]
    output = "".join(
        json.dumps(_completion(key, requests[key]["body"], n)) + "\n"
        for n, key in enumerate(["bridge", "strike"], 1)
    )
    errors = (
        json.dumps(
            {
                "id": "batch_req_authored_3",
                "custom_id": "flood",
                "response": {
                    "status_code": 400,
                    "request_id": "req_authored_3",
                    "body": {
                        "error": {
                            "message": "This request could not be processed (authored).",
                            "type": "invalid_request_error",
                            "code": "invalid_request",
                        }
                    },
                },
                "error": None,
            }
        )
        + "\n"
    )
    upload = _interaction(
        "POST",
        "/files",
        {
            "id": "file-authored-input",
            "object": "file",
            "bytes": 30_000,
            "created_at": CREATED,
            "filename": "evenhand-requests.jsonl",
            "purpose": "batch",
            "status": "processed",
            "status_details": None,
            "expires_at": None,
        },
    )
    create = _interaction("POST", "/batches", _batch("validating", 0, 0, 0, False))
    running = _interaction("GET", f"/batches/{BATCH_ID}", _batch("in_progress", 1, 0, 3, False))
    finished = _interaction("GET", f"/batches/{BATCH_ID}", _batch("completed", 2, 1, 3, True))
    out = _interaction(
        "GET", "/files/file-authored-output/content", output, "application/octet-stream"
    )
    err = _interaction(
        "GET", "/files/file-authored-errors/content", errors, "application/octet-stream"
    )
    cassettes = {
        # Submit, poll twice (running, then completed), download results and errors.
        "test_submit_wait_and_collect.yaml": [upload, create, running, finished, out, err],
        # Submit without waiting; `status` sees it running; `collect` sees it completed.
        "test_submit_then_status_and_collect_later.yaml": [
            upload,
            create,
            running,
            finished,
            out,
            err,
        ],
    }
    for name, interactions in cassettes.items():
        print(f"wrote {write_authored_cassette(HERE / name, NOTE, interactions)}")
    (HERE / "requests.expected.jsonl").write_text(
        "".join(json.dumps(requests[c.key], ensure_ascii=False) + "\n" for c in clusters),
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
