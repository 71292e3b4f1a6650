"""Imports in src/evenhand that run from a lower layer up to a higher one.

Data moves one way (DESIGN.md): a module may import from its own layer and the layers below it.
The order used here, lowest first:

  0 base        _version errors text schema extras io loop data models
  1 inputs      sources article_text fetch html_extract
  2 lexicon     curated entries: data that the annotation layer reads (it imports only text)
  3 annotate    the annotated document; linguistic facts are decided here
  4 engines     engines offline llm grounding tokens prompts
  5 checks      checks verify input_findings
  6 pipeline    pipeline checking
  7 renderers
  8 surfaces    cli web batch evaluation, and the package's __init__/__main__

Every import counts, at module level or inside a function (a lazy import is still a dependency),
including those under `if TYPE_CHECKING:`.

    python tools/layering.py            # the count, then one line per upward import
    python tools/layering.py --root DIR # another checkout (DIR/src/evenhand)
"""

from __future__ import annotations

import argparse
import ast
import sys
from dataclasses import dataclass
from pathlib import Path

LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "base",
        ("_version", "errors", "text", "schema", "extras", "safe_write", "loop", "data", "models"),
    ),
    ("inputs", ("sources", "article_text", "fetch", "html_extract")),
    ("lexicon", ("lexicon",)),
    ("annotate", ("annotate",)),
    ("engines", ("engines", "offline", "llm", "quote_search", "token_count", "prompts")),
    ("checks", ("checks", "report_checks", "input_findings")),
    ("pipeline", ("pipeline", "draft_check")),
    ("renderers", ("renderers",)),
    ("surfaces", ("cli", "web", "batch", "evaluation", "__init__", "__main__")),
)
_RANK = {top: rank for rank, (_, tops) in enumerate(LAYERS) for top in tops}


@dataclass(frozen=True)
class Upward:
    path: str
    line: int
    source: str
    target: str

    def __str__(self) -> str:
        return (
            f"{self.path}:{self.line}: {self.source} ({layer(self.source)}) imports "
            f"{self.target} ({layer(self.target)})"
        )


def _top(module: str) -> str:
    """The first name under `evenhand` ('evenhand.offline.claims' -> 'offline')."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def rank(module: str) -> int:
    top = _top(module)
    if top not in _RANK:
        raise SystemExit(f"layering: {module} is in no layer; add {top!r} to LAYERS")
    return _RANK[top]


def layer(module: str) -> str:
    return LAYERS[rank(module)][0]


def _module_name(path: Path, package: Path) -> tuple[str, bool]:
    """The dotted name of `path` and whether it is a package's __init__."""
    parts = list(path.relative_to(package.parent).with_suffix("").parts)
    is_package = parts[-1] == "__init__"
    if is_package and len(parts) > 1:
        parts.pop()
    return ".".join(parts), is_package


def _targets(node: ast.AST, module: str, is_package: bool) -> list[str]:
    """The evenhand modules an import statement names (relative imports resolved)."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names if a.name.split(".")[0] == "evenhand"]
    if not isinstance(node, ast.ImportFrom):
        return []
    if node.level == 0:
        base = node.module or ""
    else:
        here = module.split(".") if is_package else module.split(".")[:-1]
        here = here[: len(here) - (node.level - 1)]
        base = ".".join([*here, *([node.module] if node.module else [])])
    if base.split(".")[0] != "evenhand":
        return []
    if base == "evenhand":  # `from . import x`: x is a module of the package
        return [f"evenhand.{a.name}" for a in node.names]
    return [base]


def upward_imports(root: Path) -> list[Upward]:
    package = root / "src" / "evenhand"
    found: list[Upward] = []
    for path in sorted(package.rglob("*.py")):
        module, is_package = _module_name(path, package)
        if module == "evenhand" and path.name == "__main__.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            for target in _targets(node, module, is_package):
                if rank(target) > rank(module):
                    found.append(
                        Upward(
                            str(path.relative_to(root)),
                            getattr(node, "lineno", 0),
                            module,
                            target,
                        )
                    )
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    args = parser.parse_args(argv)
    found = upward_imports(args.root)
    print(f"{len(found)} upward imports in {args.root / 'src' / 'evenhand'}")
    for item in found:
        print(f"  {item}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
