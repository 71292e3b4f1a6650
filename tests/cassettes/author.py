"""Write the LLM engine's fixture cassettes from authored answers.

No model is reachable from this project's machines, so the committed cassettes hold answers
written by hand (`tests/cassettes/authored/<case>.json`). The cassettes match on the request
body, so the request must be exactly the one the engine renders: this script runs the real engine
on the case's articles with an in-memory transport that captures the request and answers with the
authored completion, then writes `tests/cassettes/<case>.yaml` with an AUTHORED FIXTURE header.

Run it after any change to the prompts, the request settings or the case articles:

    .venv/bin/python tests/cassettes/author.py            # every case
    .venv/bin/python tests/cassettes/author.py example    # one case

Token counts in the authored usage are evenhand's own tiktoken counts of the rendered prompt and
of the answer, so the figures in the cassettes are plausible, not measured by a service.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS))

from evenhand.engines.llm import LLMEngine  # noqa: E402
from evenhand.llm.recording import authored_interaction, write_authored_cassette  # noqa: E402
from evenhand.token_count import count_tokens  # noqa: E402
from llm_cases import AUTHORED, CASES, CASSETTES, MAX_WORDS, case_articles  # noqa: E402
from llm_fakes import FakeModel, completion  # noqa: E402

# Follows the AUTHORED FIXTURE mark at the top of each cassette.
NOTE = (
    "no model produced this response. It is written in the\n"
    "exact wire format of the Chat Completions API (response model 'fixture-authored') by\n"
    "tests/cassettes/author.py from tests/cassettes/authored/{case}.json and the request the\n"
    "engine really renders for the case. Re-run that script after a prompt change."
)


def authored_completion(case: str, prompt_tokens: int) -> dict[str, Any]:
    data = json.loads((AUTHORED / f"{case}.json").read_text(encoding="utf-8"))
    answer = json.dumps(data["answer"], ensure_ascii=False)
    return completion(
        answer, prompt_tokens=prompt_tokens, completion_tokens=count_tokens(answer) + 1
    )


def author(case: str) -> Path:
    articles = case_articles(case)
    engine = LLMEngine(api_key="unused")
    plan = engine.plan(articles, max_words=MAX_WORDS)
    if plan.mode != "single":
        raise SystemExit(f"{case}: the cluster needs map-reduce; author single-call cases only")
    body = authored_completion(case, plan.calls[0].prompt_tokens)
    fake = FakeModel([body])
    LLMEngine(client=fake.client()).analyze(articles, max_words=MAX_WORDS)  # validates the answer
    sent = fake.requests[0]
    url = f"https://api.openai.com{sent.path}"
    interaction = authored_interaction(sent.method, url, request_body=sent.body, response_body=body)
    return write_authored_cassette(
        CASSETTES / f"{case}.yaml", NOTE.format(case=case), [interaction]
    )


def main(argv: list[str]) -> None:
    for case in argv or CASES:
        print(f"wrote {author(case).relative_to(TESTS.parent)}")


if __name__ == "__main__":
    main(sys.argv[1:])
