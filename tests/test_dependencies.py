"""Every third-party module the package imports is declared in pyproject.toml, in the base
dependencies or in an extra: nothing may only happen to arrive with another package (as httpx2
arrives with openai)."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _declared() -> set[str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        requirements += extra
    return {_normalise(re.split(r"[\s<>=!~;\[]", r, maxsplit=1)[0]) for r in requirements}


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _type_checking_only(tree: ast.Module) -> set[ast.AST]:
    """The nodes under `if TYPE_CHECKING:`, which never run."""
    return {
        inner
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING")
        for statement in node.body
        for inner in ast.walk(statement)
    }


def _imported_modules() -> set[str]:
    modules: set[str] = set()
    for path in (REPO / "src" / "evenhand").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _type_checking_only(tree)
        for node in ast.walk(tree):
            if node in skip:
                continue
            if isinstance(node, ast.Import):
                modules |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.split(".")[0])
    return modules - set(sys.stdlib_module_names) - {"evenhand", "__future__"}


def test_every_imported_package_is_declared() -> None:
    distributions = packages_distributions()
    declared = _declared()
    undeclared = {
        module: names
        for module in sorted(_imported_modules())
        if (names := [_normalise(d) for d in distributions.get(module, [module])])
        and not declared.intersection(names)
    }
    assert undeclared == {}, "declare these in pyproject.toml (or in an extra)"


def test_the_fetcher_uses_the_http_client_openai_uses() -> None:
    from importlib.metadata import requires

    openai_needs = {
        _normalise(re.split(r"[\s<>=!~;\[]", r, maxsplit=1)[0]) for r in requires("openai") or []
    }
    assert "httpx2" in openai_needs
    assert "httpx2" in _declared()
