"""The typer application and the global options. Commands live in their own modules."""

from __future__ import annotations

import typer

from .._version import __version__

app = typer.Typer(
    name="evenhand",
    help=(
        "Neutral, source-backed summaries of news articles that frame one event differently.\n\n"
        "Give it several articles about one event (files, URLs, JSON or '-' for stdin). It returns "
        "a neutral summary whose every sentence is backed by the sources, the claims the sources "
        "contest, and the loaded language each outlet uses, with neutral alternatives. "
        "It checks its own output, and `evenhand check` checks an editor's draft.\n\n"
        "Start with:  evenhand demo"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"evenhand {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
    debug: bool = typer.Option(
        False, "--debug", help="Show the full traceback when something fails."
    ),
) -> None:
    """Global options; the commands are listed below."""
