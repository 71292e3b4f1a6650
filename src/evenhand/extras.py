"""Optional dependencies: which extra of `pyproject.toml` brings each one, and the error that
names the `pip install` fixing a missing one. The one place that knows this."""

from __future__ import annotations

import importlib
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
    if extra is None:
        return None
    return ConfigError(
        f"this needs the {extra} extra, which is not installed ({module} is missing): "
        f"pip install 'evenhand[{extra}]'"
    )


def import_optional(name: str) -> ModuleType:
    """`importlib.import_module(name)`, with an error that names the extra when it is missing."""
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        error = missing_extra(exc)
        if error is None:
            raise
        raise error from exc
