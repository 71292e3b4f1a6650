"""Data moves one way: imports from a lower layer up to a higher one (tools/layering.py) do not
grow. Lower UPWARD when one is removed."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
UPWARD = 0


def _layering() -> ModuleType:
    spec = importlib.util.spec_from_file_location("layering", ROOT / "tools" / "layering.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while building the class
    spec.loader.exec_module(module)
    return module


def test_upward_imports_do_not_grow() -> None:
    found = _layering().upward_imports(ROOT)
    assert len(found) <= UPWARD, "\n".join(map(str, found))


def test_every_module_has_a_layer_and_an_upward_import_is_seen(tmp_path: Path) -> None:
    layering = _layering()
    package = tmp_path / "src" / "evenhand"
    (package / "annotate").mkdir(parents=True)
    (package / "__init__.py").write_text("from . import pipeline\n")
    (package / "pipeline.py").write_text("from .annotate import doc\n")  # down: fine
    (package / "annotate" / "__init__.py").write_text("")
    (package / "annotate" / "doc.py").write_text(
        "def f():\n    from ..renderers import html\n"  # up, even inside a function
    )
    found = layering.upward_imports(tmp_path)
    assert [(u.source, u.target, u.line) for u in found] == [
        ("evenhand.annotate.doc", "evenhand.renderers", 2)
    ]
    real = {layering.layer(m) for m in ("evenhand.cli.app", "evenhand.text", "evenhand.checks")}
    assert real == {"surfaces", "base", "checks"}
