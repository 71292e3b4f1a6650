"""Prompt files: loading, rendering and hashing.

Prompts live in `prompts/*.toml` (one file per prompt: `version`, `schema`, `system`, `user`).
In a wheel the folder is packaged as `evenhand/prompts`; in a source checkout or an editable
install it is the top-level `prompts/` folder. Templates use `$name` placeholders
(`string.Template`), so JSON braces in a prompt need no escaping.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from string import Template

from .errors import ConfigError

_PACKAGE_DIR = Path(__file__).resolve().parent


def prompts_dir() -> Path:
    """The folder holding the prompt files: inside the package (wheel), else the source tree."""
    for candidate in (_PACKAGE_DIR / "prompts", _PACKAGE_DIR.parents[1] / "prompts"):
        if (candidate / "analyze.toml").is_file():
            return candidate
    raise ConfigError(
        f"the prompt files are missing (looked in {_PACKAGE_DIR / 'prompts'} and "
        f"{_PACKAGE_DIR.parents[1] / 'prompts'}): reinstall evenhand"
    )


@dataclass(frozen=True)
class Prompt:
    name: str
    version: str
    schema: str
    system: str
    user: str

    @property
    def label(self) -> str:
        """`name@version`, as recorded in a report's provenance."""
        return f"{self.name}@{self.version}"

    def render(self, **values: object) -> list[dict[str, str]]:
        """The chat messages of this prompt with its placeholders filled in."""
        messages: list[dict[str, str]] = []
        if self.system:
            messages.append({"role": "system", "content": _fill(self, "system", values)})
        messages.append({"role": "user", "content": _fill(self, "user", values)})
        return messages

    def render_user(self, **values: object) -> str:
        return _fill(self, "user", values)


def _fill(prompt: Prompt, part: str, values: Mapping[str, object]) -> str:
    template = Template(getattr(prompt, part))
    try:
        return template.substitute({k: str(v) for k, v in values.items()})
    except (KeyError, ValueError) as exc:
        raise ConfigError(
            f"prompt {prompt.name!r} ({part}) has a placeholder that was not given: {exc}"
        ) from exc


def _clean(text: str) -> str:
    # TOML multi-line strings start after the opening newline; trailing newlines are layout.
    return text.strip("\n")


@cache
def load_prompt(name: str) -> Prompt:
    """Load `prompts/<name>.toml`; a malformed or missing file is a `ConfigError`."""
    path = prompts_dir() / f"{name}.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"no prompt file {path.name} in {path.parent}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"prompt file {path} is not valid TOML: {exc}") from exc
    missing = [
        k for k in ("version", "schema", "system", "user") if not isinstance(data.get(k), str)
    ]
    if missing:
        raise ConfigError(f"prompt file {path} lacks {', '.join(missing)}")
    return Prompt(
        name=name,
        version=data["version"],
        schema=data["schema"],
        system=_clean(data["system"]),
        user=_clean(data["user"]),
    )


def prompt_hash(payloads: Sequence[object]) -> str:
    """A short, stable hash of rendered requests (messages, schema names, settings)."""
    canonical = json.dumps(
        list(payloads), ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]
