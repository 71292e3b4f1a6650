"""`--openai-batch`: hand the clusters to the OpenAI Batch API, then collect the results.

Submit writes each cluster's request as a Batch API JSONL line (the LLM engine builds it, so the
request is exactly what `analyze` would send), uploads the file and creates the batch. Its state
(the clusters, the requests, where the results go) is kept in the cache folder under
`batches/BATCH_ID/`, so `evenhand batch status|collect BATCH_ID` work after the process ends.
Collect polls until the batch is over, downloads the results and the errors, grounds and checks
each completion like any other, and writes the same output and errors files as a direct run.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ..annotate.loaded import DEFAULT_MIN_CONFIDENCE
from ..errors import BudgetError, InputError, ModelError, UsageError
from ..safe_write import atomic_write_text
from .cache import ReportCache, cache_dir, cache_key
from .inputs import Cluster, parse_cluster
from .output import JsonlLog, errors_path, exclusive_lock, is_result
from .producers import ClusterFailed, Produced, prepare_articles, report_for
from .progress import Progress
from .runner import BatchOptions, BatchSummary, Notify, plan_run, record_failure, record_success

if TYPE_CHECKING:
    import openai

    from ..engines.llm import LLMEngine
    from ..llm.plan import Plan as CallPlan

ENDPOINT: Literal["/v1/chat/completions"] = "/v1/chat/completions"
RUNNING = frozenset({"validating", "in_progress", "finalizing", "cancelling"})
# The Batch API bills at half the listed price.
BATCH_PRICE_FACTOR = 0.5
Echo = Callable[[str], None]
Sleep = Callable[[float], None]


def batches_dir(folder: str | Path | None = None) -> Path:
    return cache_dir(folder) / "batches"


def _engine(engine_options: dict[str, Any], client: openai.OpenAI | None) -> LLMEngine:
    from ..engines.llm import LLMEngine

    return LLMEngine(**engine_options, client=client)


def _public_options(engine_options: dict[str, Any]) -> dict[str, Any]:
    """The engine options worth keeping on disk: never a key or a client."""
    return {
        k: v
        for k, v in engine_options.items()
        if k not in {"api_key", "client", "async_client"} and isinstance(v, str | int | float)
    }


def _cluster_line(cluster: Cluster) -> str:
    articles = [a.model_dump(mode="json", exclude_none=True) for a in cluster.articles]
    return json.dumps({"id": cluster.id, "articles": articles}, ensure_ascii=False) + "\n"


# --- submit -----------------------------------------------------------------------------------


def submit_and_collect(
    input_path: str | Path,
    output_path: str | Path,
    options: BatchOptions,
    *,
    wait: bool = True,
    poll_interval: float = 30.0,
    echo: Echo = print,
    notify: Notify | None = None,
    client: openai.OpenAI | None = None,
    sleep: Sleep = time.sleep,
) -> BatchSummary | None:
    """Submit every pending cluster as one batch; with `wait`, collect it. None when not waiting."""
    options.check()
    say: Notify = notify or (lambda message: echo(f"evenhand: {message}"))
    started = time.perf_counter()
    output = Path(output_path)
    engine = _engine(options.engine_options, client)
    with exclusive_lock(output):
        plan = plan_run(input_path, output, say)
        cache = ReportCache(options.cache_dir) if options.use_cache else None
        requests: list[dict[str, Any]] = []
        submitted: list[Cluster] = []
        try:
            for cluster in plan.pending:
                try:
                    articles = prepare_articles(cluster.articles)
                    calls = engine.plan(articles, max_words=options.max_words)
                except (InputError, BudgetError) as exc:  # one cluster must not stop the run
                    failure = ClusterFailed(
                        type(exc).__name__, exc.message, attempts=0, retryable=False
                    )
                    record_failure(plan, cluster, failure)
                    continue
                key = _key(calls, articles, options.min_confidence)
                hit = cache.get(key) if cache is not None else None
                if hit is not None:
                    record_success(plan, cluster, Produced(hit, cached=True, attempts=0))
                    continue
                lines = calls.batch_lines(cluster.key)
                if lines is None:
                    record_failure(
                        plan,
                        cluster,
                        ClusterFailed(
                            "BudgetError",
                            "the cluster needs several model calls (extract + merge), which the "
                            "Batch API cannot chain: run it without the Batch API",
                            attempts=0,
                            retryable=False,
                        ),
                    )
                    continue
                requests += lines
                submitted.append(cluster)
        finally:
            if cache is not None:
                cache.close()
            plan.results.close()
            plan.errors.close()
        if not requests:
            plan.summary.elapsed_s = time.perf_counter() - started
            return plan.summary
        batch_id = _submit(
            engine,
            requests=requests,
            clusters=submitted,
            input_path=input_path,
            output=output,
            options=options,
            folder=batches_dir(options.cache_dir),
        )
    echo(
        f"evenhand: submitted batch {batch_id} ({len(requests)} requests); "
        f"check it with: evenhand batch status {batch_id}; "
        f"collect it with: evenhand batch collect {batch_id}"
    )
    if not wait:
        return None
    summary = collect_batch(
        batch_id,
        cache_dir=options.cache_dir,
        wait=True,
        poll_interval=poll_interval,
        progress=options.progress,
        echo=echo,
        client=client,
        sleep=sleep,
        use_cache=options.use_cache,
    )
    if summary is not None:
        # What the submit step already did (cache hits, clusters refused) counts in the run.
        summary.already_done = plan.summary.already_done
        summary.skipped_lines = plan.summary.skipped_lines
        summary.done += plan.summary.done
        summary.cached += plan.summary.cached
        summary.failed += plan.summary.failed
        summary.clusters = plan.summary.clusters
        summary.elapsed_s = time.perf_counter() - started
    return summary


def _key(calls: CallPlan, articles: list[Any], min_confidence: float) -> str:
    return cache_key(
        engine="llm",
        identity=calls.cache_identity(),
        articles=articles,
        max_words=calls.max_words,
        min_confidence=min_confidence,
    )


def _submit(
    engine: LLMEngine,
    *,
    requests: list[dict[str, Any]],
    clusters: list[Cluster],
    input_path: str | Path,
    output: Path,
    options: BatchOptions,
    folder: Path,
) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    staging = folder / f".pending-{time.time_ns()}"
    staging.mkdir()
    requests_text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in requests)
    atomic_write_text(staging / "requests.jsonl", requests_text)
    atomic_write_text(staging / "clusters.jsonl", "".join(_cluster_line(c) for c in clusters))
    client = engine.client()
    import openai

    try:
        uploaded = client.files.create(
            file=("evenhand-requests.jsonl", requests_text.encode("utf-8")), purpose="batch"
        )
        batch = client.batches.create(
            input_file_id=uploaded.id,
            endpoint=ENDPOINT,
            completion_window="24h",
            metadata={"created_by": "evenhand", "input": Path(input_path).name[:200]},
        )
    except openai.OpenAIError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        from ..llm.retries import service_error

        raise service_error(exc, engine.settings) from None
    state = {
        "batch_id": batch.id,
        "input_file_id": uploaded.id,
        "input": str(Path(input_path).resolve()),
        "output": str(output.resolve()),
        "engine_options": _public_options(options.engine_options),
        "max_words": options.max_words,
        "min_confidence": options.min_confidence,
        "requests": len(requests),
        "submitted_at": datetime.now(UTC).isoformat(),
    }
    atomic_write_text(staging / "state.json", json.dumps(state, indent=2) + "\n")
    staging.rename(folder / batch.id)
    return batch.id


# --- status and collect -----------------------------------------------------------------------


def _state(batch_id: str, folder: str | Path | None) -> tuple[Path, dict[str, Any]]:
    if not batch_id or "/" in batch_id or batch_id.startswith("."):
        raise UsageError(f"{batch_id!r} is not a batch id")
    where = batches_dir(folder) / batch_id
    try:
        state = json.loads((where / "state.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(
            f"no batch {batch_id} was submitted from here (looked in {where.parent}); "
            "pass the same `cache_dir` as when it was submitted",
            option="cache_dir",
        ) from None
    except (OSError, json.JSONDecodeError) as exc:
        raise UsageError(f"the state of batch {batch_id} in {where} is unreadable: {exc}") from exc
    return where, state


def _counts(batch: Any) -> tuple[int, int, int]:
    counts = getattr(batch, "request_counts", None)
    if counts is None:
        return 0, 0, 0
    return counts.completed or 0, counts.failed or 0, counts.total or 0


def batch_status(
    batch_id: str, *, cache_dir: str | Path | None = None, client: openai.OpenAI | None = None
) -> str:
    """One paragraph on a submitted batch: its status, its counts and where its results go."""
    _, state = _state(batch_id, cache_dir)
    engine = _engine(state["engine_options"], client)
    batch = _retrieve(engine, batch_id)
    done, failed, total = _counts(batch)
    lines = [
        f"batch {batch_id}: {batch.status}; {done} completed, {failed} failed of {total} requests",
        f"submitted {state['submitted_at']} from {state['input']}; results go to {state['output']}",
    ]
    if state.get("collected_at"):
        lines.append(f"collected {state['collected_at']}")
    elif batch.status in RUNNING:
        lines.append(f"collect it when it is done with: evenhand batch collect {batch_id}")
    else:
        lines.append(f"ready: evenhand batch collect {batch_id}")
    return "\n".join(lines)


def _retrieve(engine: LLMEngine, batch_id: str) -> Any:
    import openai

    try:
        return engine.client().batches.retrieve(batch_id)
    except openai.OpenAIError as exc:
        from ..llm.retries import service_error

        raise service_error(exc, engine.settings) from None


def _download(engine: LLMEngine, file_id: str | None) -> list[dict[str, Any]]:
    if not file_id:
        return []
    import openai

    try:
        text = engine.client().files.content(file_id).text
    except openai.OpenAIError as exc:
        from ..llm.retries import service_error

        raise service_error(exc, engine.settings) from None
    records = []
    for raw in text.splitlines():
        if raw.strip():
            try:
                records.append(json.loads(raw))
            except json.JSONDecodeError:
                continue  # a line we cannot read leaves its cluster unanswered, reported below
    return records


def collect_batch(
    batch_id: str,
    *,
    cache_dir: str | Path | None = None,
    wait: bool = True,
    poll_interval: float = 30.0,
    progress: bool | None = None,
    echo: Echo = print,
    client: openai.OpenAI | None = None,
    sleep: Sleep = time.sleep,
    use_cache: bool = True,
) -> BatchSummary | None:
    """Wait for a submitted batch (with `wait`), then write its results; None if still running."""
    started = time.perf_counter()
    where, state = _state(batch_id, cache_dir)
    engine = _engine(state["engine_options"], client)
    batch = _retrieve(engine, batch_id)
    total = int(state.get("requests") or 0)
    with Progress(total, description=f"batch {batch_id}", enabled=progress) as bar:
        while batch.status in RUNNING:
            done, failed, _ = _counts(batch)
            bar.update(done + failed, note=batch.status)
            if not wait:
                echo(
                    f"evenhand: batch {batch_id} is {batch.status}; {done + failed} of {total} done"
                )
                return None
            sleep(poll_interval)
            batch = _retrieve(engine, batch_id)
        done, failed, _ = _counts(batch)
        bar.update(done + failed, note=batch.status)
    results = _download(engine, batch.output_file_id)
    failures = _download(engine, batch.error_file_id)
    summary = _write(
        batch,
        results=results,
        failures=failures,
        where=where,
        state=state,
        engine=engine,
        folder=cache_dir,
        use_cache=use_cache,
    )
    state["collected_at"] = datetime.now(UTC).isoformat()
    state["status"] = batch.status
    atomic_write_text(where / "state.json", json.dumps(state, indent=2) + "\n")
    summary.elapsed_s = time.perf_counter() - started
    return summary


def _failure_of(record: dict[str, Any]) -> ClusterFailed:
    response = record.get("response") or {}
    error = record.get("error") or {}
    body = response.get("body") if isinstance(response, dict) else None
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        error = body["error"]
    code = error.get("code") or (response.get("status_code") if response else None)
    message = error.get("message") or "the Batch API returned no result for this request"
    return ClusterFailed(
        "ModelError",
        f"Batch API: {message} ({code})" if code else f"Batch API: {message}",
        attempts=1,
        retryable=False,
    )


def _write(
    batch: Any,
    *,
    results: list[dict[str, Any]],
    failures: list[dict[str, Any]],
    where: Path,
    state: dict[str, Any],
    engine: LLMEngine,
    folder: str | Path | None,
    use_cache: bool,
) -> BatchSummary:
    output = Path(state["output"])
    max_words = int(state["max_words"])
    # A batch submitted before the threshold existed is collected with the default.
    min_confidence = float(state.get("min_confidence", DEFAULT_MIN_CONFIDENCE))
    clusters: dict[str, Cluster] = {}
    for number, raw in enumerate((where / "clusters.jsonl").read_text("utf-8").splitlines(), 1):
        parsed = parse_cluster(raw, number)
        clusters[parsed.key] = parsed
    answered: set[str] = set()
    with exclusive_lock(output):
        results_log = JsonlLog(output, valid=is_result)
        results_log.load()
        errors_log = JsonlLog(errors_path(output), unique=False)
        already = results_log.ids()
        summary = BatchSummary(output=output, errors=errors_log.path, clusters=len(clusters))
        summary.cost_note = " (at Batch API prices: half the listed rate)"
        from .runner import Plan

        plan = Plan(list(clusters.values()), [], results_log, errors_log, summary)
        cache = ReportCache(folder) if use_cache else None
        try:
            for record in [*results, *failures]:
                key = str(record.get("custom_id"))
                cluster = clusters.get(key)
                if cluster is None or key in answered:
                    continue
                answered.add(key)
                if key in already:
                    summary.already_done += 1
                    continue
                response = record.get("response") or {}
                if response.get("status_code") != 200 or record.get("error"):
                    record_failure(plan, cluster, _failure_of(record))
                    continue
                try:
                    produced = _produce(
                        engine,
                        cluster,
                        response.get("body"),
                        cache,
                        max_words=max_words,
                        min_confidence=min_confidence,
                    )
                except ClusterFailed as failure:
                    record_failure(plan, cluster, failure)
                    continue
                record_success(plan, cluster, produced)
            for key, cluster in clusters.items():
                if key not in answered and key not in already:
                    record_failure(
                        plan,
                        cluster,
                        ClusterFailed(
                            "ModelError",
                            f"the batch ended {batch.status} without an answer for this "
                            "cluster; run the batch command again to retry it",
                            attempts=1,
                            retryable=True,
                        ),
                    )
        finally:
            if cache is not None:
                cache.close()
            results_log.close()
            errors_log.close()
    summary.cost_usd *= BATCH_PRICE_FACTOR
    return summary


def _produce(
    engine: LLMEngine,
    cluster: Cluster,
    body: Any,
    cache: ReportCache | None,
    *,
    max_words: int,
    min_confidence: float,
) -> Produced:
    started = time.perf_counter()
    try:
        if not isinstance(body, dict):
            raise ModelError("the Batch API result has no response body")
        articles = prepare_articles(cluster.articles)
        calls = engine.plan(articles, max_words=max_words)
        result = engine.result_from_completion(articles, body, calls)
        report = report_for(articles, result, "llm", started, min_confidence)
    except Exception as exc:
        raise ClusterFailed.from_exception(exc, 1) from exc
    report_json = report.model_dump_json()
    usage = report.provenance.token_usage
    prompt = usage.prompt_tokens if usage else 0
    completion = usage.completion_tokens if usage else 0
    cost = usage.estimated_cost_usd if usage else None
    if cache is not None:
        cache.put(
            _key(calls, articles, min_confidence),
            report_json,
            engine="llm",
            model=report.provenance.model,
            prompt_tokens=prompt,
            completion_tokens=completion,
            cost_usd=cost,
        )
    return Produced(report_json, False, prompt, completion, cost)
