"""Imports every command module so that each registers its commands on the app.

Each module imports its heavy dependencies inside the command function, so `evenhand --help`
stays fast.
"""

from __future__ import annotations

from . import (
    analyze_cmd,  # noqa: F401
    batch_cmd,  # noqa: F401
    check_cmd,  # noqa: F401
    eval_cmd,  # noqa: F401
    serve_cmd,  # noqa: F401
)
