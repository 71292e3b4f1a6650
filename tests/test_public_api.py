"""The public API is `__all__`: every name in it resolves, to the object its module defines."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

import evenhand


def _typed_imports() -> dict[str, str]:
    """name -> module, from the `if TYPE_CHECKING:` imports of evenhand/__init__.py."""
    tree = ast.parse(Path(evenhand.__file__).read_text(encoding="utf-8"))
    block = next(
        node
        for node in tree.body
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
    )
    return {
        alias.name: f"evenhand.{node.module}"
        for node in block.body
        if isinstance(node, ast.ImportFrom) and node.module
        for alias in node.names
    }


def test_all_is_what_the_type_checkers_see() -> None:
    assert sorted(evenhand.__all__) == sorted([*_typed_imports(), "__version__"])
    assert len(set(evenhand.__all__)) == len(evenhand.__all__)


@pytest.mark.parametrize("name", sorted(_typed_imports()))
def test_each_name_is_its_modules_object(name: str) -> None:
    module = importlib.import_module(_typed_imports()[name])
    assert getattr(evenhand, name) is getattr(module, name)


def test_dir_and_unknown_names() -> None:
    assert dir(evenhand) == sorted(evenhand.__all__)
    with pytest.raises(AttributeError, match="no attribute 'analyse'"):
        evenhand.analyse  # noqa: B018
    assert isinstance(evenhand.__version__, str)


def test_a_submodule_named_like_a_public_function_does_not_shadow_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import evenhand.draft_check
    import evenhand.renderers.check  # the module `evenhand.renderers.check`, not `check`

    monkeypatch.delitem(vars(evenhand), "check", raising=False)  # resolve it afresh
    assert evenhand.check is evenhand.draft_check.check
