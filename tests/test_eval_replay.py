"""The LLM side of the eval: committed fixture cassettes replayed through the openai client's
real HTTP path, unrecorded cases reported as such, and recording against a (loopback) server."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from evenhand.cli import main
from evenhand.evaluation.cases import load_cases
from evenhand.evaluation.replay import CassetteProducer, cassette_name, cassette_origin
from evenhand.evaluation.runner import RunOptions, run_eval

REPO = Path(__file__).resolve().parents[1]
CASES = REPO / "evals" / "cases"
CASSETTES = REPO / "evals" / "cassettes"
RECORDED = (
    "lukashenko-troops,basil-2010-2b95d2cf,basil-2011-97566c74,basil-2012-f11c2566,"
    "basil-2013-11c9f251,basil-2014-22b6e900"
)
sys.path.insert(0, str(REPO))

from bench.fake_server import FakeConfig, FakeServer  # noqa: E402


def test_committed_cassettes_cover_six_cases_with_three_samples_each() -> None:
    names = sorted(p.name for p in CASSETTES.glob("*__gpt-4.1-mini__*.yaml"))
    per_case: dict[str, int] = {}
    for name in names:
        case_id, prompt, digest, _model, sample = name.removesuffix(".yaml").split("__")
        assert len(digest) == 8
        assert prompt.startswith("analyze")
        assert sample.startswith("s")
        per_case[case_id] = per_case.get(case_id, 0) + 1
        assert cassette_origin(CASSETTES / name).startswith("authored fixture")
    assert len(per_case) >= 6
    assert all(n >= 3 for n in per_case.values())
    assert cassette_name("c", "analyze@1", "sha256:0123456789abcdef", "gpt-4.1-mini", 2) == (
        "c__analyze-1__01234567__gpt-4.1-mini__s2.yaml"
    )


def test_replayed_samples_score_and_vary() -> None:
    cases = load_cases(CASES, RECORDED)
    run = run_eval(cases, CassetteProducer(CASSETTES), RunOptions(samples=3))
    assert run.status_counts == {"scored": 6}
    assert sum(run.origins.values()) == 18
    assert all(o.startswith("authored fixture") for o in run.origins)
    luka = run.case("lukashenko-troops")
    assert luka is not None
    # The samples differ (a claim found, then missed; a misquote): consistency is measured.
    assert luka.metrics["consistency_claims"] is not None
    assert 0 < luka.metrics["consistency_claims"] < 1
    assert luka.metrics["grounding_rate"] is not None
    assert luka.metrics["grounding_rate"] < 1
    assert luka.metrics["leak_rate"] is not None
    assert luka.metrics["leak_rate"] > 0  # sample 0 calls Lukashenko "self-proclaimed"
    assert luka.metrics["offline_agreement_summary"] is not None
    assert run.totals["prompt_tokens"] > 0
    assert run.overall["cost_usd"].value is not None


def test_a_request_that_matches_no_cassette_is_an_error_not_a_pass(tmp_path: Path) -> None:
    # The Steele cassette filed under the bundled example's name: the request cannot match.
    name = next(CASSETTES.glob("lukashenko-troops__*__s0.yaml")).name
    other = next(CASSETTES.glob("basil-2010-2b95d2cf__*__s0.yaml"))
    shutil.copy(other, tmp_path / name)
    cases = load_cases(CASES, "lukashenko-troops")
    run = run_eval(cases, CassetteProducer(tmp_path), RunOptions(samples=1))
    assert run.cases[0].status == "error"
    assert "did not match cassette" in (run.cases[0].message or "")
    assert "schema_valid" not in run.overall


def test_missing_cassettes_are_not_recorded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["eval", "--engine", "llm", "--cases", "lukashenko-troops,neus-013"]
    args += ["--cases-dir", str(CASES), "--cassettes-dir", str(CASSETTES), "--out", str(tmp_path)]
    with pytest.raises(SystemExit) as done:
        main(args)
    assert done.value.code == 0
    captured = capsys.readouterr()
    assert "neus-013: not recorded (no cassette neus-013__analyze-2" in captured.err
    assert "no key or server to record it" in captured.err
    assert "warning: 1 case(s) not scored" in captured.err
    assert "(1 not recorded, 1 scored)" in captured.out

    with pytest.raises(SystemExit) as done:
        main([*args, "--record"])
    assert "--record needs OPENAI_API_KEY or --base-url" in capsys.readouterr().err


@pytest.mark.enable_socket
def test_record_then_replay_against_a_loopback_server(tmp_path: Path) -> None:
    cases = load_cases(CASES, "neus-013")
    with FakeServer() as server:
        url = server.url
        recorder = CassetteProducer(tmp_path, model="fake-local", base_url=url, record=True)
        first = run_eval(cases, recorder, RunOptions(samples=2, compare_offline=False))
    assert first.cases[0].status == "scored"
    assert first.origins == {"recorded from fake-local": 2}
    written = sorted(p.name for p in tmp_path.iterdir())
    assert len(written) == 2
    assert written[0].startswith("neus-013__analyze-2__")
    assert written[0].endswith("__fake-local__s0.yaml")
    assert written[1].endswith("__fake-local__s1.yaml")
    text = (tmp_path / written[0]).read_text(encoding="utf-8")
    assert "authorization" not in text.lower()
    # The cassette says what produced it: the model asked for and every setting that shapes it.
    head = text.split("\ninteractions:", 1)[0]
    assert "# model: fake-local" in head
    assert "# settings (sample 0): model=fake-local, structured=strict, reasks=2" in head
    assert "context_tokens=32768" in head
    # The server is gone: the second run replays what was recorded, whatever the host and port
    # (the endpoint is not part of the cassette name).
    replay = CassetteProducer(tmp_path, model="fake-local", base_url="http://localhost:9/v1")
    second = run_eval(cases, replay, RunOptions(samples=2, compare_offline=False))
    assert second.cases[0].status == "scored"
    assert all(o.startswith("recorded from") for o in second.origins)
    assert second.cases[0].metrics == first.cases[0].metrics


@pytest.mark.enable_socket
def test_a_failed_recording_leaves_no_cassette_and_the_next_run_records(tmp_path: Path) -> None:
    cases = load_cases(CASES, "neus-013")
    failing = FakeConfig(fault_rate=1.0, faults=("500",))
    with FakeServer(failing) as server:
        recorder = CassetteProducer(tmp_path, model="fake-local", base_url=server.url, record=True)
        first = run_eval(cases, recorder, RunOptions(samples=1, compare_offline=False))
    assert first.cases[0].status == "error"
    assert "HTTP 500" in (first.cases[0].message or "")
    assert "nothing recorded" in (first.cases[0].message or "")
    assert list(tmp_path.iterdir()) == []
    with FakeServer() as server:
        recorder = CassetteProducer(tmp_path, model="fake-local", base_url=server.url, record=True)
        second = run_eval(cases, recorder, RunOptions(samples=1, compare_offline=False))
    assert second.cases[0].status == "scored"
    assert len(list(tmp_path.iterdir())) == 1


def test_eval_settings_shape_the_cassette_names_and_seeds_differ_by_sample(
    tmp_path: Path,
) -> None:
    args = ["eval", "--engine", "llm", "--cases", "neus-013", "-n", "2", "--model", "m"]
    args += ["--cases-dir", str(CASES), "--cassettes-dir", str(tmp_path)]
    names = []
    for k, extra in enumerate(
        (
            [],
            ["--temperature", "0.7", "--seed", "1"],
            ["--structured", "plain", "--timeout", "300", "--max-output-tokens", "512"],
        )
    ):
        with pytest.raises(SystemExit):
            main([*args, *extra, "--out", str(tmp_path / str(k))])
        results = json.loads(next((tmp_path / str(k)).glob("*/results.json")).read_bytes())
        names.append([s["cassette"] for s in results["cases"][0]["samples"]])
    assert len({name for group in names for name in group}) == 6
    # With a seed, sample k is asked with seed + k: the two samples' requests differ.
    assert names[1][0].split("__")[2] != names[1][1].split("__")[2]
    assert names[0][0].split("__")[2] == names[0][1].split("__")[2]


def test_a_recording_is_kept_when_the_model_answered_and_dropped_after_a_fault(
    tmp_path: Path,
) -> None:
    from evenhand.evaluation.replay import answered
    from evenhand.llm.recording import authored_interaction, write_authored_cassette

    url = "http://127.0.0.1:9/v1/chat/completions"
    ok = authored_interaction("POST", url, request_body={}, response_body={"choices": []})
    fault = json.loads(json.dumps(ok))
    fault["response"]["status"] = {"code": 500, "message": "Internal Server Error"}
    assert answered(write_authored_cassette(tmp_path / "a.yaml", "test", [fault, ok]))
    assert not answered(write_authored_cassette(tmp_path / "b.yaml", "test", [ok, fault]))
    assert not answered(tmp_path / "missing.yaml")
