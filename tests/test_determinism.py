"""The offline engine and the checks promise the same report for the same input, in any process.

Python randomises the iteration order of sets of strings per process (PYTHONHASHSEED), so an
order-dependent tie anywhere would make reports differ from one run to the next. This runs the
same analysis and check in fresh interpreters with different hash seeds and compares the results.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from llm_cases import CASES

REPO = Path(__file__).resolve().parents[1]

SCRIPT = """
import glob, json, sys, time
sys.path.insert(0, "tests")
import evenhand
from evenhand.data import example_paths
from evenhand.engines.llm import LLMEngine
from evenhand.pipeline import build_report
from llm_cases import CASES, case_articles

out = []
# The offline engine, and the checks on a draft.
cases = [list(example_paths())]
for name in ("basil-2010-2b95d2cf", "neus-001"):
    paths = sorted(glob.glob(f"evals/cases/{name}/*.txt"))
    assert paths, name
    cases.append(paths)
for paths in cases:
    report = evenhand.analyze(paths)
    draft = " ".join(s.text for s in report.summary) + " Critics called it a 99 percent failure."
    for result in (report, evenhand.check(draft, paths, report=report)):
        out.append(result.model_dump(mode="json", exclude={"provenance"}))
# The checks on model answers (the authored fixture answers), which tie more often.
engine = LLMEngine(api_key="test-key")
for case in CASES:
    articles = case_articles(case)
    with open(f"tests/cassettes/authored/{case}.json", encoding="utf-8") as handle:
        answer = json.load(handle)["answer"]
    message = {"role": "assistant", "content": json.dumps(answer)}
    completion = {
        "id": "determinism", "object": "chat.completion", "created": 0,
        "model": "fixture-authored",
        "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }
    plan = engine.plan(articles, max_words=130)
    draft = engine.result_from_completion(articles, completion, plan)
    report = build_report(articles, draft, "llm", time.perf_counter())
    out.append(report.model_dump(mode="json", exclude={"provenance"}))
print(json.dumps(out, sort_keys=True))
"""


def _run(seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def test_reports_and_checks_do_not_depend_on_the_hash_seed() -> None:
    # Seed 5 broke a tie in the checks' source ranking differently from seed 1 before ties were
    # broken by sentence position.
    first, second = _run("1"), _run("5")
    # A report and a check report for each of the three offline clusters, one report per LLM case.
    assert len(json.loads(first)) == 2 * 3 + len(CASES)
    assert first == second
