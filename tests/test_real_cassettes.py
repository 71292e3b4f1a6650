"""The eval cassettes recorded from a real model (Gemma 3 270M, base, on llama.cpp's llama-server;
written by `tests/real/run_real.py --record-into evals/cassettes`): each says what produced it, they
replay offline at any address, and every quote the model wrote that is in no article comes back as
a grounding finding."""

from __future__ import annotations

from pathlib import Path

from evenhand.evaluation.replay import cassette_origin
from evenhand.llm.recording import RECORDED_HEADER, is_authored
from real.run_real import MODEL, RECORDING, grounded_recordings

CASSETTES = Path(__file__).resolve().parents[1] / "evals" / "cassettes"
REAL = sorted(CASSETTES.glob(f"*__{MODEL}__*.yaml"))


def _cases() -> list[str]:
    return sorted({p.name.split("__", 1)[0] for p in REAL})


def test_real_recordings_say_what_produced_them() -> None:
    assert len(_cases()) >= 3
    for path in REAL:
        text = path.read_text(encoding="utf-8")
        head = text.split("\ninteractions:", 1)[0]
        assert text.startswith(RECORDED_HEADER)
        assert not is_authored(text)
        assert f"# model: {MODEL}" in head
        assert "# server: llama.cpp llama-server build" in head
        assert "# note: llama.cpp llama-server built from the llama-cpp-python" in head
        assert "temperature=0.8" in head
        assert cassette_origin(path).startswith("recorded from ")
        assert "authorization" not in text.lower()


def test_real_recordings_replay_and_every_invented_quote_is_a_finding() -> None:
    samples = max(int(p.name.rsplit("__s", 1)[1].removesuffix(".yaml")) for p in REAL) + 1
    grounded_recordings(CASSETTES, ",".join(_cases()), samples, RECORDING)
