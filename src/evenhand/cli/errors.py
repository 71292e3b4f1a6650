"""What the CLI says of a library error: the library names its keyword arguments (`max_words`,
`allow_private=True`); the command line shows the flag that sets each one (`--max-words`)."""

from __future__ import annotations

import re

from ..errors import EvenhandError

# keyword argument -> the flag that sets it, for every option a library error can name
FLAGS = {
    "allow_private": "--allow-private",
    "base_url": "--base-url",
    "context_tokens": "--context-tokens",
    "engine": "--engine",
    "max_output_tokens": "--max-output-tokens",
    "max_words": "--max-words",
    "min_confidence": "--min-confidence",
    "model": "--model",
    "outlets": "--outlet",
    "structured": "--structured",
    "temperature": "--temperature",
    "timeout": "--timeout",
}


def cli_message(error: EvenhandError) -> str:
    """`error`'s message with the option it names spelled as its flag: at the start of the
    message ('max_words must be...' -> '--max-words must be...') and as `option=True`."""
    flag = FLAGS.get(error.option or "")
    if flag is None:
        return error.message
    option = re.escape(error.option or "")
    message = re.sub(rf"^{option}\b", flag, error.message)
    return re.sub(rf"\b{option}=True\b", flag, message)
