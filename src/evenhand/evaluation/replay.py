"""LLM samples for the eval: replayed from cassettes, or recorded when `--record` allows it.

Each sample is one cassette, `<case>__<prompt version>__<prompt hash>__<model>__s<k>.yaml`,
replayed by vcrpy through the real HTTP path of the `openai` client (record mode `none`: a
request that is not in the cassette fails instead of reaching the network), with the matching,
filtering and layout every cassette shares (`evenhand.llm.recording`). A missing cassette is
recorded only with `--record` and a key or a server; otherwise the sample is "not recorded".
"""

from __future__ import annotations

import importlib
import json
import os
import re
from pathlib import Path
from typing import Any

from ..errors import EvenhandError, InvalidModelOutput, OutputTruncated
from ..llm import recording
from .cases import Case
from .runner import Produced

# Never sent anywhere: the client needs a key even when every response comes from a cassette.
REPLAY_KEY = "sk-eval-replay-no-key"
FIXTURE_MARKER = "authored fixture"  # how the scoreboard names an authored cassette's origin


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9.]+", "-", text).strip("-")


def cassette_name(
    case_id: str, prompt_version: str, prompt_hash: str, model: str, sample: int
) -> str:
    """`<case>__<prompt version>__<prompt hash>__<model>__s<sample>.yaml`: every part that
    changes the answer (the hash covers the rendered messages and the settings)."""
    digest = prompt_hash.removeprefix("sha256:")[:8]
    return f"{case_id}__{_slug(prompt_version)}__{digest}__{_slug(model)}__s{sample}.yaml"


def cassette_origin(path: Path) -> str:
    """What produced a cassette's responses: an authored fixture (it says so at its top) or the
    model named in its first response."""
    text = path.read_text(encoding="utf-8")
    model = _response_model(text)
    if recording.is_authored(text):
        return f"authored fixture (model field {model!r})" if model else FIXTURE_MARKER
    return f"recorded from {model}" if model else "recorded"


def answered(path: Path) -> bool:
    """Whether a cassette's last response is a model's answer (HTTP 200), not a fault."""
    if not path.is_file():
        return False
    yaml: Any = importlib.import_module("yaml")
    try:
        interactions = yaml.safe_load(path.read_text(encoding="utf-8"))["interactions"]
        return bool(interactions) and interactions[-1]["response"]["status"]["code"] == 200
    except (KeyError, IndexError, TypeError, yaml.YAMLError):
        return False


def _response_model(cassette_text: str) -> str | None:
    yaml: Any = importlib.import_module("yaml")  # vcrpy's dependency (no type stubs)
    try:
        data = yaml.safe_load(cassette_text)
        body = data["interactions"][0]["response"]["body"]
        raw = body.get("string") if isinstance(body, dict) else body
        answer = json.loads(raw) if isinstance(raw, str) else raw
        model = answer.get("model") if isinstance(answer, dict) else None
    except (ValueError, KeyError, IndexError, TypeError, yaml.YAMLError):
        return None
    return model if isinstance(model, str) else None


class CassetteProducer:
    """Produces LLM samples from cassettes (and records missing ones when allowed).

    `llm_options` are the LLM engine's settings (model, base_url, temperature, seed, timeout,
    structured, context_tokens, max_output_tokens). They are used as given: the server is not
    asked for its context size, so a recording replays with the same plan without the server.
    With a seed, sample k is asked with seed + k.
    """

    engine = "llm"

    def __init__(
        self, folder: Path, *, record: bool = False, note: str | None = None, **llm_options: Any
    ) -> None:
        from ..llm.config import resolve_settings

        recording.require_vcr()  # replay and recording both go through vcrpy
        self.folder = folder
        self.record = record
        self.note = note  # said at the top of each cassette recorded (e.g. the server's build)
        self._server: str | None = None
        self.options = {k: v for k, v in llm_options.items() if v is not None}
        settings = resolve_settings(**self.options)
        self.model: str | None = settings.model
        self.prompt_version: str | None = None
        self.live_key = os.environ.get("OPENAI_API_KEY") or None
        self.can_record = bool(self.live_key) or not settings.is_openai

    def _engine(self, sample: int, *, live: bool) -> Any:
        from ..engines.llm import LLMEngine

        options = dict(self.options)
        if "seed" in options:
            options["seed"] += sample  # samples differ by seed: consistency across seeds
        return LLMEngine(
            **options,
            api_key=self.live_key if live else (self.live_key or REPLAY_KEY),
            http_retries=2 if live else 0,
            read_server_limits=False,
        )

    def produce(self, case: Case, sample: int, *, max_words: int) -> Produced:
        engine = self._engine(sample, live=False)
        try:
            identity = engine.plan(case.articles, max_words=max_words).cache_identity()
        except EvenhandError as exc:
            return Produced("error", message=exc.message)
        self.prompt_version = identity["prompt_version"]
        name = cassette_name(
            case.id, identity["prompt_version"], identity["prompt_hash"], identity["model"], sample
        )
        path = self.folder / name
        if path.is_file():
            return self._run(engine, case, path, "none", max_words, cassette_origin(path))
        if not self.record:
            hint = (
                "pass --record to record it" if self.can_record else "no key or server to record it"
            )
            return Produced("not recorded", message=f"no cassette {name} ({hint})", cassette=name)
        if not self.can_record:
            return Produced(
                "not recorded",
                message=f"no cassette {name}, and --record needs OPENAI_API_KEY or --base-url",
                cassette=name,
            )
        self.folder.mkdir(parents=True, exist_ok=True)
        live = self._engine(sample, live=True)
        try:
            produced = self._run(live, case, path, "once", max_words, f"recorded from {self.model}")
            if produced.status == "error" and not answered(path):
                # A service fault is no recording of the model: the next run records again.
                path.unlink(missing_ok=True)
                produced.message = f"{produced.message} (nothing recorded)"
            elif path.is_file():
                recording.label_recording(path, self._labels(live, sample))
        finally:
            live.close()
        return produced

    def _labels(self, engine: Any, sample: int) -> list[str]:
        """What produced a recording: model, server and every setting that shaped the answer."""
        from ..llm.server import describe

        settings = engine.settings
        if self._server is None and settings.base_url is not None:
            self._server = describe(engine.client(), settings.base_url) or ""
        shaping = {k: v for k, v in settings.public().items() if k != "endpoint"}
        shaping |= {
            "context_tokens": settings.info.context_window,
            "max_output_tokens": settings.max_output_tokens,
            "timeout": settings.timeout,
        }
        lines = [
            f"model: {settings.model} (the name asked for; each response's body has the server's)",
            f"settings (sample {sample}): "
            + ", ".join(f"{k}={v}" for k, v in shaping.items() if v is not None),
        ]
        if self._server:
            lines.append(f"server: {self._server}")
        if self.note:
            lines.append(f"note: {self.note}")
        return lines

    def _run(  # noqa: PLR0917
        self, engine: Any, case: Case, path: Path, mode: str, max_words: int, origin: str
    ) -> Produced:
        from vcr.errors import CannotOverwriteExistingCassetteException

        recorder = recording.recorder(path.parent, mode)
        with recorder.use_cassette(path.name) as cassette:
            try:
                result = engine.analyze(case.articles, max_words=max_words)
            except CannotOverwriteExistingCassetteException:
                message = (
                    f"the request did not match cassette {path.name} (the prompt or the settings "
                    "changed since it was recorded; re-record it)"
                )
                return Produced("error", message=message, origin=origin, cassette=path.name)
            except InvalidModelOutput as exc:
                from ..llm.calling import total_usage

                usage = total_usage(exc.usages, engine.settings)
                return Produced(
                    "invalid", message=exc.message, origin=origin, cassette=path.name, usage=usage
                )
            except OutputTruncated as exc:  # an answer, cut at the output cap: not a valid one
                return Produced("invalid", message=exc.message, origin=origin, cassette=path.name)
            except EvenhandError as exc:
                message = exc.message
                if mode == "none" and cassette.play_count < len(cassette):
                    message = (
                        f"the request did not match cassette {path.name} (the prompt or the "
                        f"settings changed since it was recorded; re-record it): {message}"
                    )
                return Produced("error", message=message, origin=origin, cassette=path.name)
        return Produced("ok", result=result, origin=origin, cassette=path.name)
