"""What evenhand's shipped ONNX models share (the loaded-language tagger, the attribution tagger,
the sentence encoder): files checked against their SHA-256 before first use, a word-piece
tokenizer from the `tokenizers` library, a CPU onnxruntime session (no torch at run time), and
one instance per process and model directory, loaded lazily.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from ..errors import ModelUnavailableError

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray
    from tokenizers import Tokenizer

T = TypeVar("T")


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def verify_model_dir(model_dir: Path, what: str) -> dict[str, Any]:
    """The model's metadata, after checking every file listed in `SHA256SUMS`.

    `what` names the model in error messages ("the attribution model is missing ...").
    """
    sums = model_dir / "SHA256SUMS"
    if not sums.is_file():
        raise ModelUnavailableError(f"the {what} model is missing: no {sums}")
    for line in sums.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        expected, name = line.split(maxsplit=1)
        path = model_dir / name.strip().lstrip("*")
        if not path.is_file():
            raise ModelUnavailableError(f"the {what} model is missing {path.name}")
        if _sha256(path) != expected:
            raise ModelUnavailableError(
                f"the {what} model file {path.name} fails its SHA-256 check: reinstall evenhand"
            )
    meta: dict[str, Any] = json.loads((model_dir / "meta.json").read_text(encoding="utf-8"))
    return meta


def cpu_session(path: Path) -> Any:
    """An onnxruntime session for one of evenhand's shipped ONNX models, on the CPU.

    Two threads: the machines evenhand targets have two cores or more, and a web or batch worker
    per core must not oversubscribe them.
    """
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 2
    options.inter_op_num_threads = 1
    return onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


class ShippedModel:
    """A shipped ONNX model's files, opened: `meta` (meta.json), `tokenizer`, `session`.

    Subclasses name the model for error messages (`what`) and may cut long texts
    (`max_pieces`; None tokenizes whole texts, which the taggers split into windows).
    """

    what: ClassVar[str]
    max_pieces: ClassVar[int | None] = None

    def __init__(self, model_dir: Path) -> None:
        from tokenizers import Tokenizer

        self.model_dir = model_dir
        self.meta: dict[str, Any] = verify_model_dir(model_dir, what=self.what)
        self.tokenizer: Tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.no_padding()
        if self.max_pieces is None:
            self.tokenizer.no_truncation()
        else:
            self.tokenizer.enable_truncation(self.max_pieces)
        self.session = cpu_session(model_dir / "model.onnx")


def once_per_process(build: Callable[[Path], T]) -> Callable[[Path], T]:
    """`build(model_dir)` at most once per model directory in this process: the first call loads
    the model, later calls return the same object. A lock makes two threads that ask at once
    (web or batch workers) wait for one load rather than load the model twice."""
    cached = lru_cache(maxsize=4)(build)
    lock = threading.Lock()

    def load(model_dir: Path) -> T:
        with lock:
            return cached(model_dir)

    return load


def padded(rows: Sequence[Sequence[int]]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Rows of word-piece ids as the models' two inputs: `input_ids`, zero-padded to the longest
    row, and `attention_mask`, 1 over each row's own pieces."""
    import numpy as np

    width = max(len(row) for row in rows)
    ids = np.zeros((len(rows), width), dtype=np.int64)
    mask = np.zeros((len(rows), width), dtype=np.int64)
    for r, row in enumerate(rows):
        ids[r, : len(row)] = row
        mask[r, : len(row)] = 1
    return ids, mask
