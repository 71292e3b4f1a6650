"""Installed size of the default install (prints figures; goal < 300 MB).

    python bench/bench_install_size.py

Creates a fresh virtual environment in a temporary folder, installs evenhand from this checkout
with no extras (what `pip install evenhand` gives a user), and prints the size of its
site-packages with the ten largest distributions. Needs the package index.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        venv = Path(tmp) / "venv"
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
        # Non-editable, like a user's install: the model files are copied into site-packages.
        subprocess.run([*pip, str(ROOT)], check=True)
        site = next((venv / "lib").glob("python*/site-packages"))
        sizes: dict[str, int] = {}
        for entry in site.iterdir():
            if entry.name.endswith((".dist-info", ".pth")) or entry.name == "__pycache__":
                continue
            sizes[entry.name] = _size(entry) if entry.is_dir() else entry.stat().st_size
        total = _size(site)
        print(f"default install: {total / 1e6:.0f} MB in site-packages")
        for name, size in sorted(sizes.items(), key=lambda kv: -kv[1])[:10]:
            print(f"  {name:32s} {size / 1e6:7.1f} MB")


if __name__ == "__main__":
    main()
