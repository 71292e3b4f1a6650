"""Help pages as a person would write them.

typer shows an argument as `{PATH}...` in the usage line and as `PATH <list[str]>` in the list
of arguments, and cuts a command's description in the list of commands with "...". `Command`
and `Group` write `PATH...`, `[report|check]` and the whole first sentence instead; everything
else (the description, the examples, the options with their metavars) is typer's and click's.
`use_written_help(app)` gives every command of the application these classes.
"""

from __future__ import annotations

import inspect
import re
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup
from typer.models import DefaultPlaceholder


def _argument_name(param: Any) -> str:
    """`PATH...` for a required list, `[NAME]` for an optional argument."""
    name = str(param.metavar or param.name.upper())
    if not param.required:
        name = f"[{name}]"
    return f"{name}..." if param.nargs != 1 else name


def first_sentence(text: str) -> str:
    """The first sentence of a help text's first paragraph, whole (for the list of commands)."""
    paragraph = inspect.cleandoc(text).split("\n\n", 1)[0].replace("\n", " ")
    found = re.search(r"^.*?\.(?=\s|$)", paragraph)
    return found.group(0) if found else paragraph


class Command(TyperCommand):
    """A command whose usage line and list of arguments name each argument as its metavar."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if param.param_type_name == "argument":
                pieces.append(_argument_name(param))
            else:
                pieces.extend(param.get_usage_pieces(ctx))
        return pieces

    def format_options(self, ctx: Any, formatter: Any) -> None:
        params = self.get_params(ctx)
        arguments = [
            (_argument_name(p), getattr(p, "help", None) or "")
            for p in params
            if p.param_type_name == "argument"
        ]
        options = [
            record
            for p in params
            if p.param_type_name == "option" and (record := p.get_help_record(ctx)) is not None
        ]
        for title, rows in (("Arguments", arguments), ("Options", options)):
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)


class Group(TyperGroup):
    """A group that lists its commands with their whole first sentence, never cut."""

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is None or command.hidden:
                continue
            rows.append((name, command.short_help or first_sentence(command.help or "")))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def use_written_help(app: typer.Typer) -> None:
    """Give `app`, its commands and its sub-applications `Group` and `Command`, unless they
    chose classes of their own (such as `batch`, which runs `batch run` by default)."""
    if app.info.cls is None or isinstance(app.info.cls, DefaultPlaceholder):
        app.info.cls = Group
    for info in app.registered_commands:
        if info.cls in (None, TyperCommand):
            info.cls = Command
    for group in app.registered_groups:
        if group.typer_instance is not None:
            use_written_help(group.typer_instance)
