"""Optional dependencies: which extra of `pyproject.toml` brings each one, and the error that
names the `pip install` fixing a missing one. The one place that knows this."""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType

from .errors import ConfigError

# Top-level import name -> the extra that installs it (see [project.optional-dependencies]).
EXTRA_OF_MODULE = {
    "fastapi": "web",
    "fastapi_offline": "web",
    "multipart": "web",
    "python_multipart": "web",
    "starlette": "web",
    "uvicorn": "web",
    "matplotlib": "eval",
    "rouge_score": "eval",
    "vcr": "eval",
    "onnx": "train",
    "onnxscript": "train",
    "torch": "train",
    "transformers": "train",
}


def missing_extra(exc: ImportError) -> ConfigError | None:
    """The error to raise for `exc` when the module it misses comes with an extra; else None."""
    module = (exc.name or "").partition(".")[0]
    extra = EXTRA_OF_MODULE.get(module)
    return None if extra is None else _missing(module, extra)


def _missing(module: str, extra: str) -> ConfigError:
    return ConfigError(
        f"this needs the {extra} extra, which is not installed ({module} is missing): "
        f"pip install 'evenhand[{extra}]'"
    )


def require(extra: str) -> None:
    """Fail now, with the error that names the fix, when a module of `extra` is not installed
    (before work that would need it only at its end)."""
    for module, of in EXTRA_OF_MODULE.items():
        if of != extra:
            continue
        try:
            found = importlib.util.find_spec(module) is not None
        except (ImportError, ValueError):  # a module blocked in sys.modules, a broken package
            found = False
        if not found:
            raise _missing(module, extra)


def import_optional(name: str) -> ModuleType:
    """`importlib.import_module(name)`, with an error that names the extra when it is missing."""
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        error = missing_extra(exc)
        if error is None:
            raise
        raise error from exc
