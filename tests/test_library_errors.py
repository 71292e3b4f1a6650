"""Library errors speak the library (keyword arguments, fields); the CLI alone speaks in flags."""

from __future__ import annotations

from pathlib import Path

import pytest

import evenhand
from evenhand.cli.errors import cli_message
from evenhand.errors import (
    FetchError,
    InputError,
    InvalidModelOutputError,
    ModelError,
    PrivateAddressError,
    UsageError,
)

A = "The council approved the budget on Monday after a long debate about the city's roads."
B = "Council members passed the budget on Monday; opponents said the roads plan was rushed."


def test_max_words_names_the_argument_not_the_flag() -> None:
    with pytest.raises(UsageError) as info:
        evenhand.analyze([A, B], max_words=5)
    assert info.value.message == "max_words must be at least 20 (got 5)"
    assert info.value.option == "max_words"
    assert info.value.exit_code == 2


def test_a_model_option_without_the_llm_engine_is_a_usage_error() -> None:
    with pytest.raises(UsageError) as info:
        evenhand.analyze([A, B], model="gpt-4o-mini")
    assert info.value.option == "model"
    assert "engine='llm'" in info.value.message
    assert "--" not in info.value.message


def test_a_misspelt_llm_option_is_named() -> None:
    with pytest.raises(UsageError) as info:
        evenhand.analyze([A, B], engine="llm", modle="gpt-4o-mini")
    assert info.value.option == "modle"
    assert "'modle'" in info.value.message
    assert "model" in info.value.message  # the options it does take are listed


def test_check_passes_the_same_error_through() -> None:
    with pytest.raises(UsageError) as info:
        evenhand.check("The council approved the budget.", [A, B], base_url="http://x")
    assert info.value.option == "base_url"


def test_an_unknown_engine_names_the_engine_option() -> None:
    with pytest.raises(UsageError, match="unknown engine 'magic'") as info:
        evenhand.analyze([A, B], engine="magic")
    assert info.value.option == "engine"


def test_outlets_for_no_article_names_the_argument() -> None:
    with pytest.raises(UsageError) as info:
        evenhand.load_articles([A, B], outlets={"z": "RT"})
    assert info.value.message.startswith("outlets: no article has the id 'z'")
    assert info.value.option == "outlets"


@pytest.mark.parametrize(
    ("error", "shown"),
    [
        (
            UsageError("max_words must be at least 20 (got 5)", option="max_words"),
            "--max-words must be at least 20 (got 5)",
        ),
        (
            UsageError("outlets: no article has the id 'z'", option="outlets"),
            "--outlet: no article has the id 'z'",
        ),
        (
            PrivateAddressError("http://10.0.0.1/: refused; pass allow_private=True to fetch it"),
            "http://10.0.0.1/: refused; pass --allow-private to fetch it",
        ),
        # the option named only where it is the argument, not as a word of the sentence
        (
            UsageError("unknown engine 'magic': choose one of offline, llm", option="engine"),
            "unknown engine 'magic': choose one of offline, llm",
        ),
        (UsageError("no option named here"), "no option named here"),
    ],
)
def test_the_cli_shows_flags(error: UsageError, shown: str) -> None:
    assert cli_message(error) == shown


def test_errors_carry_fields() -> None:
    fetch = FetchError("http://x/: the server answered 404", url="http://x/", status_code=404)
    assert (fetch.url, fetch.status_code, fetch.source) == ("http://x/", 404, "http://x/")
    invalid = InvalidModelOutputError("no valid answer", "{", usages=[object(), object()])
    assert isinstance(invalid, ModelError)
    assert invalid.attempts == 2
    assert ModelError("busy", status_code=503, attempts=3).status_code == 503


def test_every_error_class_ends_in_error() -> None:
    import inspect

    from evenhand import errors

    classes = [
        c for _, c in inspect.getmembers(errors, inspect.isclass) if c.__module__ == errors.__name__
    ]
    assert classes
    assert all(c.__name__.endswith("Error") for c in classes)


def test_an_input_error_names_its_input(tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    with pytest.raises(InputError, match="file not found") as info:
        evenhand.load_articles([missing, A])
    assert info.value.source == str(missing)
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n", encoding="utf-8")
    with pytest.raises(InputError, match="is empty") as info:
        evenhand.load_articles([empty, A])
    assert info.value.source == str(empty)


@pytest.mark.parametrize(
    ("options", "option", "message"),
    [
        ({"timeout": 0}, "timeout", "timeout must be positive (got 0)"),
        ({"temperature": 3}, "temperature", "temperature must be between 0 and 2 (got 3)"),
        ({"base_url": "ftp://x"}, "base_url", "base_url must be an http(s) URL, got 'ftp://x'"),
        ({"max_output_tokens": 8}, "max_output_tokens", "max_output_tokens must be at least 64"),
    ],
)
def test_llm_settings_name_the_keyword_argument(
    options: dict[str, object], option: str, message: str
) -> None:
    with pytest.raises(UsageError) as info:
        evenhand.analyze([A, B], engine="llm", **options)  # type: ignore[arg-type]
    assert info.value.message.startswith(message)
    assert info.value.option == option
    assert "--" not in info.value.message
    assert cli_message(info.value).startswith("--" + option.replace("_", "-") + " must be")


def test_batch_options_name_the_field_and_the_cli_the_flag() -> None:
    from evenhand.batch import BatchOptions

    for changes, option in [({"concurrency": 0}, "concurrency"), ({"rpm": -1.0}, "rpm")]:
        with pytest.raises(UsageError) as info:
            BatchOptions(**changes).check()  # type: ignore[arg-type]
        assert info.value.option == option
        assert info.value.message.startswith(f"{option} must be")
        assert cli_message(info.value).startswith(f"--{option} must be")


def test_the_cli_spells_options_named_inside_a_message() -> None:
    error = ModelError(
        "the server may not take structured='strict': try structured='json' or "
        "structured='plain'; or raise `timeout`, check `base_url`; `reasks` stays as it is"
    )
    assert cli_message(error) == (
        "the server may not take --structured strict: try --structured json or "
        "--structured plain; or raise --timeout, check --base-url; `reasks` stays as it is"
    )
