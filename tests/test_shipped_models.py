"""What every shipped ONNX model promises (annotate.onnx_model): files that pass their SHA-256
check and stay small, a clear error for a damaged or missing model, one instance per process."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from evenhand.annotate import attribution_tagger, embeddings, tagger
from evenhand.annotate.onnx_model import ShippedModel, padded, verify_model_dir
from evenhand.errors import ModelUnavailableError

MAX_SHIPPED_BYTES = 30 * 1024 * 1024


@dataclass(frozen=True)
class Shipped:
    model: type[ShippedModel]
    model_dir: Path
    load: Callable[[Path], Any]
    what: str  # the model's name in its errors


MODELS = [
    pytest.param(
        Shipped(tagger.LoadedTagger, tagger.MODEL_DIR, tagger.load_tagger, "loaded-language"),
        id="loaded",
    ),
    pytest.param(
        Shipped(
            attribution_tagger.AttributionTagger,
            attribution_tagger.MODEL_DIR,
            attribution_tagger.load_attribution_tagger,
            "attribution",
        ),
        id="attribution",
    ),
    pytest.param(
        Shipped(
            embeddings.SentenceEncoder,
            embeddings.MODEL_DIR,
            embeddings.load_encoder,
            "sentence-encoder",
        ),
        id="sentence-encoder",
    ),
]


@pytest.mark.parametrize("shipped", MODELS)
def test_model_files_pass_their_hash_check_and_stay_small(shipped: Shipped) -> None:
    assert verify_model_dir(shipped.model_dir, what=shipped.what)
    assert shipped.model.what == shipped.what
    total = sum(p.stat().st_size for p in shipped.model_dir.iterdir() if p.is_file())
    assert total < MAX_SHIPPED_BYTES
    assert (shipped.model_dir / "MODEL_CARD.md").is_file()


@pytest.mark.parametrize("shipped", MODELS)
@pytest.mark.parametrize("damaged_file", ["model.onnx", "tokenizer.json"])
def test_a_damaged_model_file_is_refused(
    tmp_path: Path, shipped: Shipped, damaged_file: str
) -> None:
    damaged = tmp_path / "model"
    shutil.copytree(shipped.model_dir, damaged)
    data = bytearray((damaged / damaged_file).read_bytes())
    data[len(data) // 2] ^= 0xFF
    (damaged / damaged_file).write_bytes(bytes(data))
    name = damaged_file.replace(".", r"\.")
    with pytest.raises(
        ModelUnavailableError, match=rf"the {shipped.what} model file {name} fails its SHA-256"
    ):
        shipped.model(damaged)


@pytest.mark.parametrize("shipped", MODELS)
def test_a_missing_model_is_a_clear_error(tmp_path: Path, shipped: Shipped) -> None:
    with pytest.raises(ModelUnavailableError, match=rf"the {shipped.what} model is missing"):
        shipped.model(tmp_path)


@pytest.mark.parametrize("shipped", MODELS)
def test_threads_asking_at_once_share_one_model(shipped: Shipped) -> None:
    got: list[Any] = []
    threads = [
        threading.Thread(target=lambda: got.append(shipped.load(shipped.model_dir)))
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(got) == 4
    assert all(m is got[0] for m in got)
    assert isinstance(got[0], shipped.model)
    assert shipped.load(shipped.model_dir) is got[0]


def test_padded_rows_and_their_mask() -> None:
    ids, mask = padded([[101, 7, 102], [101, 102]])
    assert ids.tolist() == [[101, 7, 102], [101, 102, 0]]
    assert mask.tolist() == [[1, 1, 1], [1, 1, 0]]
    assert str(ids.dtype) == str(mask.dtype) == "int64"
