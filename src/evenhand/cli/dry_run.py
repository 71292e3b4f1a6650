"""`--dry-run`: the calls `analyze --engine llm` would make, each measured, with its output cap and
estimated cost. Makes no model call and needs no key (a local server is asked for its context
size)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..engines.llm import LLMEngine
from ..llm.plan import OUTPUT_TOKENS, Plan
from ..schema import Article
from ..token_count import estimate_cost, output_cap, prices_checked


def dry_run(articles: Sequence[Article], *, max_words: int, **llm_options: Any) -> str:
    """The plan of `LLMEngine(**llm_options)` for `articles`, as a table."""
    engine = LLMEngine(**llm_options)
    try:
        given = engine.settings.context_tokens is not None
        plan = engine.plan(list(articles), max_words=max_words)
    finally:
        engine.close()
    if given:
        context_source = "given"
    elif plan.settings.context_tokens is not None:
        context_source = "read from the server"
    else:
        context_source = "the model table's"
    return plan_table(plan, len(articles), context_source=context_source)


def _money(value: float | None) -> str:
    return "n/a" if value is None else f"${value:.4f}"


def _calls(count: int) -> str:
    return f"{count} call{'s' if count != 1 else ''}"


def plan_table(plan: Plan, articles: int, *, context_source: str) -> str:
    """`plan` as the dry run prints it: a header, a row a call (the merge at its largest), the
    totals and the prompt's version and hash."""
    settings = plan.settings
    info = settings.info
    price_note = (
        f"prices from the model table dated {prices_checked()}: check current prices"
        if info.known
        else "no price known for this model: cost not estimated"
    )
    lines = [
        f"Dry run, no call made: model {settings.model} at {settings.endpoint} ({price_note}).",
        f"{articles} articles; context window {info.context_window:,} tokens "
        f"({context_source}), encoding {info.encoding}; {plan.mode.replace('_', '-')}, "
        f"{_calls(plan.call_count)}.",
        "",
        f"{'call':<5} {'step':<8} {'articles':<32} {'prompt tokens':>14} "
        f"{'output cap':>11} {'max cost':>10}",
    ]
    rows: list[tuple[str, str, int, int, bool]] = [
        (c.step, ", ".join(c.article_ids), c.prompt_tokens, c.max_output, False) for c in plan.calls
    ]
    if plan.mode == "map_reduce":
        merge_cap = output_cap(info, OUTPUT_TOKENS["merge"])
        rows.append(("merge", "all (notes)", plan.merge_prompt_tokens, merge_cap, True))
    total_cost: float | None = 0.0
    for i, (step, ids, prompt, cap, bound) in enumerate(rows, 1):
        cost = estimate_cost(info, prompt, cap)
        total_cost = None if cost is None or total_cost is None else total_cost + cost
        ids_text = ids if len(ids) <= 32 else ids[:29] + "..."
        tokens = f"{'<=' if bound else ''}{prompt:,}"
        lines.append(f"{i:<5} {step:<8} {ids_text:<32} {tokens:>14} {cap:>11,} {_money(cost):>10}")
    total_prompt = sum(r[2] for r in rows)
    total_cap = sum(r[3] for r in rows)
    lines += [
        "",
        f"total: {_calls(len(rows))}, {total_prompt:,} prompt tokens, up to {total_cap:,} output "
        f"tokens, at most {_money(total_cost)} (re-asks, if any, cost more).",
        f"prompt {plan.prompt_version}, hash {plan.prompt_hash}",
    ]
    return "\n".join(lines)
