"""An optional dependency missing at run time is a one-line error naming the `pip install` that
fixes it, never an internal error. The missing module is simulated with `sys.modules[name] = None`
(which makes `import name` fail as if it were not installed)."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest

from evenhand.cli import main
from evenhand.errors import ConfigError
from evenhand.evaluation import metrics
from evenhand.extras import EXTRA_OF_MODULE, import_optional

REPO = Path(__file__).resolve().parents[1]


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as done:
        main(args)
    return int(done.value.code or 0), capsys.readouterr().err


def test_eval_without_the_eval_extra_names_the_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "rouge_score", None)
    metrics._rouge_scorer.cache_clear()  # an earlier test may hold a scorer
    try:
        code, err = _run(
            [
                "eval",
                "--cases",
                "neus-001",
                "--cases-dir",
                str(REPO / "evals" / "cases"),
                "--out",
                str(tmp_path),
            ],
            capsys,
        )
    finally:
        metrics._rouge_scorer.cache_clear()
    assert code == 2
    assert "rouge_score is missing" in err
    assert "pip install 'evenhand[eval]'" in err
    assert "internal error" not in err
    assert err.splitlines()[-1].startswith("evenhand: error: this needs the eval extra")
    assert "Traceback" not in err


def test_serve_without_the_web_extra_names_the_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "uvicorn", None)
    code, err = _run(["serve", "--port", "8765"], capsys)
    assert code == 2
    assert "uvicorn is missing" in err
    assert "pip install 'evenhand[web]'" in err


def test_charts_without_matplotlib(monkeypatch: pytest.MonkeyPatch) -> None:
    # An earlier test in the same process may have imported matplotlib.pyplot: forget it too.
    for name in [m for m in sys.modules if m.startswith("matplotlib.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(ConfigError, match=r"pip install 'evenhand\[eval\]'"):
        import_optional("matplotlib.pyplot")


def test_a_missing_module_of_no_extra_is_still_an_internal_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "not_an_extra_module", None)
    with pytest.raises(ImportError):
        import_optional("not_an_extra_module")


def test_every_extra_named_is_declared() -> None:
    declared = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    extras = declared["project"]["optional-dependencies"]
    assert set(EXTRA_OF_MODULE.values()) <= set(extras)


def test_eval_checks_its_extra_before_the_first_case(monkeypatch: pytest.MonkeyPatch) -> None:
    """Charts are drawn at the end of a run: a missing matplotlib must not cost the whole run."""
    from evenhand.evaluation.cases import load_cases
    from evenhand.evaluation.runner import RunOptions, run_eval

    class NeverRun:
        engine = "offline"

        def produce(self, *args: object, **kwargs: object) -> None:
            raise AssertionError("a case ran before the missing extra was reported")

    monkeypatch.setitem(sys.modules, "matplotlib", None)
    cases = load_cases(REPO / "evals" / "cases", "neus-001")
    with pytest.raises(ConfigError, match=r"matplotlib is missing.*pip install 'evenhand\[eval\]'"):
        run_eval(cases, NeverRun(), RunOptions())  # type: ignore[arg-type]
