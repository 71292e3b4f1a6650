"""Write the eval's LLM cassettes from authored answers: AUTHORED FIXTURES, not recordings.

No model is reachable from this project's machines, so the eval's committed LLM cassettes hold
answers written by hand: `evals/cassettes/authored/<case>.json` gives a base answer (inline, or
the LLM engine's test fixture for the same articles) and, per sample, hand-written edits to it
(`set` / `drop` / `append` at a dotted path such as `summary.0.text`).

The cassettes match on the request body, so each request must be exactly the one the engine
renders. Like tests/cassettes/author.py (whose helpers this reuses), the script runs the real
engine on the case's articles through the fake model, which captures the request and answers with
the authored completion; then it writes one cassette per sample,
`evals/cassettes/<case>__<prompt>__<hash>__<model>__s<k>.yaml`, with an AUTHORED FIXTURE header.
Run it after any change to the prompts, the request settings or the case articles:

    .venv/bin/python evals/cassettes/author.py                  # every authored case
    .venv/bin/python evals/cassettes/author.py lukashenko-troops
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO / "tests"))

from evenhand.engines.llm import LLMEngine  # noqa: E402
from evenhand.evaluation.cases import load_case  # noqa: E402
from evenhand.evaluation.replay import cassette_name  # noqa: E402
from evenhand.llm.recording import (  # noqa: E402
    authored_interaction,
    is_authored,
    write_authored_cassette,
)
from evenhand.token_count import count_tokens  # noqa: E402
from llm_fakes import FakeModel, completion  # noqa: E402

AUTHORED = HERE / "authored"
CASES = REPO / "evals" / "cases"
MAX_WORDS = 130

# Follows the AUTHORED FIXTURE mark at the top of each cassette.
NOTE = (
    "no model produced this response. Sample {sample} of\n"
    "eval case {case}, written by hand ({note}).\n"
    "Built by evals/cassettes/author.py from evals/cassettes/authored/{case}.json in the exact\n"
    "wire format of the Chat Completions API (response model 'fixture-authored')."
)


def _walk(answer: Any, path: str) -> tuple[Any, str | int]:
    """The container holding the last step of a dotted path, and that step."""
    steps: list[str | int] = [int(p) if p.isdigit() else p for p in path.split(".")]
    node = answer
    for step in steps[:-1]:
        node = node[step]
    return node, steps[-1]


def apply_edits(base: dict[str, Any], edits: list[dict[str, Any]]) -> dict[str, Any]:
    answer = copy.deepcopy(base)
    for edit in edits:
        if "set" in edit:
            node, key = _walk(answer, edit["set"])
            node[key] = edit["value"]
        elif "drop" in edit:
            node, key = _walk(answer, edit["drop"])
            del node[key]
        elif "append" in edit:
            node, key = _walk(answer, edit["append"])
            node[key].append(edit["value"])
        else:
            raise SystemExit(f"unknown edit {edit}")
    return answer


def base_answer(spec: dict[str, Any]) -> dict[str, Any]:
    if "answer" in spec:
        answer: dict[str, Any] = spec["answer"]
        return answer
    shared = json.loads((REPO / spec["base"]).read_text(encoding="utf-8"))
    answer = shared["answer"]
    return answer


def author(case_id: str) -> list[Path]:
    spec = json.loads((AUTHORED / f"{case_id}.json").read_text(encoding="utf-8"))
    case = load_case(CASES / case_id)
    engine = LLMEngine(api_key="unused")
    plan = engine.plan(case.articles, max_words=MAX_WORDS)
    if plan.mode != "single":
        raise SystemExit(f"{case_id}: the cluster needs map-reduce; author single-call cases only")
    identity = plan.cache_identity()
    for stale in HERE.glob(f"{case_id}__*.yaml"):
        if is_authored(stale.read_text(encoding="utf-8")):  # never a recording
            stale.unlink()
    written = []
    base = base_answer(spec)
    for k, sample in enumerate(spec["samples"]):
        text = json.dumps(apply_edits(base, sample["edits"]), ensure_ascii=False)
        body = completion(
            text,
            prompt_tokens=plan.calls[0].prompt_tokens,
            completion_tokens=count_tokens(text) + 1,
        )
        fake = FakeModel([body])
        draft = LLMEngine(client=fake.client()).analyze(case.articles, max_words=MAX_WORDS)
        sent = fake.requests[0]
        url = f"https://api.openai.com{sent.path}"
        interaction = authored_interaction(
            sent.method, url, request_body=sent.body, response_body=body
        )
        name = cassette_name(
            case_id, identity["prompt_version"], identity["prompt_hash"], identity["model"], k
        )
        note = NOTE.format(sample=k, case=case_id, note=sample["note"])
        path = write_authored_cassette(HERE / name, note, [interaction])
        missing = [f.message for f in draft.findings if f.check == "grounding"]
        print(f"wrote {path.relative_to(REPO)}: {len(missing)} quote(s) not located")
        written.append(path)
    return written


def main(argv: list[str]) -> None:
    cases = argv or sorted(p.stem for p in AUTHORED.glob("*.json"))
    for case_id in cases:
        author(case_id)


if __name__ == "__main__":
    main(sys.argv[1:])
