"""Files shipped inside the package (see PROVENANCE.md beside this file)."""

from __future__ import annotations

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent
EXAMPLE = "lukashenko-troops"


def example_paths(name: str = EXAMPLE) -> list[Path]:
    """The article files of a bundled example, in a stable order."""
    folder = DATA_DIR / "examples" / name
    return sorted(p for p in folder.iterdir() if p.suffix in {".txt", ".md", ".html", ".json"})


def example_draft(name: str = EXAMPLE) -> Path:
    """An editor's draft written from a bundled example's articles (for `evenhand check`)."""
    return DATA_DIR / "examples" / f"{name}.draft.txt"
