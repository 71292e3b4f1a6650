"""What the CLI says of a library error: the library names its keyword arguments (`max_words`,
"raise `timeout`", `structured='json'`, `allow_private=True`); the command line shows the flag
that sets each one (`--max-words`, `--timeout`, `--structured json`, `--allow-private`)."""

from __future__ import annotations

import re

from ..errors import EvenhandError

# keyword argument -> the flag that sets it, for every option a library error can name
FLAGS = {
    "allow_private": "--allow-private",
    "base_url": "--base-url",
    "cache_dir": "--cache-dir",
    "concurrency": "--concurrency",
    "context_tokens": "--context-tokens",
    "engine": "--engine",
    "max_output_tokens": "--max-output-tokens",
    "max_words": "--max-words",
    "min_confidence": "--min-confidence",
    "model": "--model",
    "outlets": "--outlet",
    "output_path": "--output",
    "retries": "--retries",
    "rpm": "--rpm",
    "structured": "--structured",
    "temperature": "--temperature",
    "timeout": "--timeout",
    "tpm": "--tpm",
    "workers": "--workers",
}
_NAMES = "|".join(sorted(FLAGS, key=len, reverse=True))
_QUOTED = re.compile(rf"`({_NAMES})`")  # "raise `timeout`"
_GIVEN = re.compile(rf"\b({_NAMES})=(?:'([^']*)'|(True))")  # structured='json', allow_private=True


def _given(found: re.Match[str]) -> str:
    flag = FLAGS[found[1]]
    return flag if found[3] else f"{flag} {found[2]}"


def cli_message(error: EvenhandError) -> str:
    """`error`'s message with every option it names spelled as its flag: the option at fault at
    the start ('max_words must be...' -> '--max-words must be...'), and anywhere an option in
    backquotes or given a value (`timeout`, structured='json', allow_private=True)."""
    message = error.message
    flag = FLAGS.get(error.option or "")
    if flag is not None:
        message = re.sub(rf"^{re.escape(error.option or '')}\b", flag, message)
    return _GIVEN.sub(_given, _QUOTED.sub(lambda found: FLAGS[found[1]], message))
