"""LLM engine figures; prints them (no pass/fail).

1. Prompt size: tokens of the instructions alone (system prompt + user template + response
   schema), and total prompt tokens for the bundled example and the largest NeuS validation
   triple, counted offline with the shipped tiktoken files for the default model.
2. Calls per report: 1 when the cluster fits the default model's budget (all NeuS triples), and
   what a small-context model (gpt-3.5-turbo, 16k) would need for the largest one.
3. Our overhead per report beyond the model's own time, over the fixture cassettes:
   a) our code alone: plan (render + count tokens) + parse + validate + ground + checks, from the
      recorded completion body (`result_from_completion` + `build_report`);
   b) end to end through `evenhand.analyze` with the `openai` client replaying the cassette
      (adds the client's request building and the cassette's matching, no network).

    python bench/bench_llm_overhead.py [--runs 20]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
NEUS = REPO / "evals" / "data" / "neus-val" / "val.source"


def neus_triples() -> list[list[Any]]:
    from evenhand.schema import Article

    triples = []
    for n, line in enumerate(NEUS.read_text(encoding="utf-8").splitlines(), 1):
        articles = []
        for i, part in enumerate(line.split(" [SEP] ")):
            title, _, body = part.partition(" ARTICLE=> ")
            title = title.removeprefix("TITLE=> ").strip()
            articles.append(Article(id=f"line{n}-{i}", title=title or None, text=body.strip()))
        triples.append(articles)
    return triples


def prompt_figures() -> None:
    from evenhand.data import example_paths
    from evenhand.engines.llm import LLMEngine
    from evenhand.llm.answer_models import ModelAnswer, strict_schema
    from evenhand.prompts import load_prompt
    from evenhand.sources import load_articles
    from evenhand.token_count import count_messages, count_tokens

    engine = LLMEngine()
    encoding = engine.settings.info.encoding
    bare = load_prompt("analyze").render(max_words=130, count=3, boundary="0" * 12, articles="")
    instructions = count_messages(bare, encoding)
    schema = count_tokens(json.dumps(strict_schema(ModelAnswer), separators=(",", ":")), encoding)
    print(f"model {engine.settings.model} ({encoding})")
    print(f"instructions alone: {instructions} tokens (messages) + {schema} (response schema)")

    example = load_articles(example_paths())
    plan = engine.plan(example, max_words=130)
    print(f"bundled example: {plan.calls[0].prompt_tokens:,} prompt tokens, {plan.call_count} call")

    triples = neus_triples()
    planned = [engine.plan(t, max_words=130) for t in triples]
    largest_tokens, largest = max((p.prompt_tokens, i) for i, p in enumerate(planned))
    plans = [p.call_count for p in planned]
    print(
        f"neus-val largest triple (line {largest + 1}): {largest_tokens:,} prompt tokens, "
        f"{planned[largest].call_count} call"
    )
    print(
        f"neus-val: {len(triples)} triples, median "
        f"{statistics.median(p.prompt_tokens for p in planned):,.0f} prompt tokens; calls per "
        f"report: {sorted(set(plans))}"
    )
    small = LLMEngine(model="gpt-3.5-turbo")
    print(
        "largest triple on a 16k-context model: "
        f"{small.plan(triples[largest], max_words=130).call_count} call(s)"
    )


def _median_ms(fn: Any, runs: int) -> float:
    from evenhand.offline.align import clear_cache

    fn()  # warm: encodings, indexes, imports
    times = []
    for _ in range(runs):
        # Each run is a report the process has not seen: no cached alignment, no remembered plan.
        clear_cache()
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def overhead_figures(runs: int) -> None:
    import openai
    import yaml

    import evenhand
    from evenhand.engines.llm import LLMEngine
    from evenhand.llm.recording import recorder as cassette_recorder
    from evenhand.pipeline import build_report
    from llm_cases import CASES, CASSETTES, MAX_WORDS, case_articles
    from llm_fakes import FakeModel

    recorder = cassette_recorder(CASSETTES, "none")
    client = openai.OpenAI(api_key="sk-bench", max_retries=0)
    engine = LLMEngine(api_key="sk-bench")
    print(f"\noverhead per report, median of {runs} runs (ms):")
    print(
        f"{'case':<24} {'engine':>8} {'checks':>8} {'ours':>8} {'w/ client':>10} "
        f"{'w/ cassette':>12}"
    )
    rows = []
    for case in CASES:
        articles = case_articles(case)
        data = yaml.safe_load((CASSETTES / f"{case}.yaml").read_text(encoding="utf-8"))
        body = json.loads(data["interactions"][0]["response"]["body"]["string"])
        plan = engine.plan(articles, max_words=MAX_WORDS)
        draft = engine.result_from_completion(articles, body, plan)

        def ours_engine(articles: Any = articles, body: Any = body) -> None:
            fresh = LLMEngine(api_key="sk-bench")
            fresh.result_from_completion(articles, body, fresh.plan(articles, max_words=MAX_WORDS))

        def checks(articles: Any = articles, draft: Any = draft) -> None:
            build_report(articles, draft, "llm", time.perf_counter())

        def with_client(articles: Any = articles, body: Any = body) -> None:
            fake = FakeModel([body])
            evenhand.analyze(articles, engine="llm", max_words=MAX_WORDS, client=fake.client())

        def end_to_end(case: str = case, articles: Any = articles) -> None:
            with recorder.use_cassette(f"{case}.yaml", allow_playback_repeats=True):
                evenhand.analyze(articles, engine="llm", max_words=MAX_WORDS, client=client)

        a, c, w, e = (_median_ms(f, runs) for f in (ours_engine, checks, with_client, end_to_end))
        rows.append((a, c, a + c, w, e))
        print(f"{case:<24} {a:>8.1f} {c:>8.1f} {a + c:>8.1f} {w:>10.1f} {e:>12.1f}")
    m = [statistics.median(r[i] for r in rows) for i in range(5)]
    print(
        f"{'median over cases':<24} {m[0]:>8.1f} {m[1]:>8.1f} {m[2]:>8.1f} {m[3]:>10.1f} "
        f"{m[4]:>12.1f}"
    )
    print(
        "engine = plan (render, count tokens) + parse + validate + ground; checks = the shared "
        "neutrality checks and the Report;\nw/ client = evenhand.analyze through the openai "
        "client over an in-memory transport; w/ cassette = the same replaying the cassette with "
        "vcrpy (YAML load and body matching on every run)."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    prompt_figures()
    overhead_figures(args.runs)


if __name__ == "__main__":
    main()
