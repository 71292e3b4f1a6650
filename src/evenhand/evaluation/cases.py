"""Eval cases: a folder per case with its articles, expectations and where it comes from.

A case folder holds `case.json` (articles by file, expectations, reference summary, provenance),
one `.txt` file per article, and optionally `curated.json`: hand-written expectations
(contested claims, required facts, banned terms) that are added to the generated ones.
"""

from __future__ import annotations

import fnmatch
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import InputError
from ..schema import Article

DEFAULT_CASES_DIR = Path("evals") / "cases"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ExpectedTerm(_Model):
    """A stretch of an article that a reader flags as loaded language."""

    article_id: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str
    in_quote: bool = False
    annotation: str | None = None


class ExpectedClaim(_Model):
    """A contested claim the report must find: a matching claim contains every key phrase.

    Each key phrase may list alternatives separated by `|` ("rigged|fraud").
    """

    claim: str
    key_phrases: list[str] = Field(min_length=1)


class RequiredFact(_Model):
    """A fact the summary must carry: it contains at least one of `any_of`."""

    fact: str
    any_of: list[str] = Field(min_length=1)


class Expectations(_Model):
    loaded_terms: list[ExpectedTerm] = Field(default_factory=list)
    banned_in_summary: list[str] = Field(default_factory=list)
    contested_claims: list[ExpectedClaim] = Field(default_factory=list)
    required_facts: list[RequiredFact] = Field(default_factory=list)


class CaseArticle(_Model):
    id: str
    outlet: str | None = None
    title: str | None = None
    url: str | None = None
    file: str


class CaseFile(_Model):
    id: str
    title: str
    articles: list[CaseArticle] = Field(min_length=1)
    expectations: Expectations
    reference_summary: str | None = None
    provenance: dict[str, Any]


class Case(BaseModel):
    """A loaded case: its articles with their texts read from the folder."""

    model_config = ConfigDict(frozen=True)

    id: str
    title: str
    folder: Path
    articles: list[Article]
    expectations: Expectations
    reference_summary: str | None
    provenance: dict[str, Any]

    @property
    def source(self) -> str:
        return str(self.provenance.get("source", "unknown"))


def _merge(base: Expectations, extra: Expectations) -> Expectations:
    return Expectations(
        loaded_terms=[*base.loaded_terms, *extra.loaded_terms],
        banned_in_summary=sorted({*base.banned_in_summary, *extra.banned_in_summary}),
        contested_claims=[*base.contested_claims, *extra.contested_claims],
        required_facts=[*base.required_facts, *extra.required_facts],
    )


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read eval case file {path}: {exc}") from exc


def load_case(folder: Path) -> Case:
    """Read one case folder; a malformed case is an `InputError` naming the file."""
    path = folder / "case.json"
    try:
        spec = CaseFile.model_validate(_read_json(path))
        expectations = spec.expectations
        curated = folder / "curated.json"
        if curated.exists():
            extra = {k: v for k, v in _read_json(curated).items() if not k.startswith("_")}
            expectations = _merge(expectations, Expectations.model_validate(extra))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InputError(f"eval case {folder.name}: {where}: {first['msg']}") from exc
    articles = []
    for entry in spec.articles:
        try:
            text = (folder / entry.file).read_text(encoding="utf-8")
        except OSError as exc:
            raise InputError(f"eval case {folder.name}: cannot read {entry.file}: {exc}") from exc
        articles.append(
            Article(id=entry.id, outlet=entry.outlet, title=entry.title, text=text, url=entry.url)
        )
    texts = {a.id: a.text for a in articles}
    for term in expectations.loaded_terms:
        if texts.get(term.article_id, "")[term.start : term.end] != term.text:
            raise InputError(
                f"eval case {folder.name}: expected term {term.text!r} is not at "
                f"{term.article_id}[{term.start}:{term.end}]"
            )
    return Case(
        id=spec.id,
        title=spec.title,
        folder=folder,
        articles=articles,
        expectations=expectations,
        reference_summary=spec.reference_summary,
        provenance=spec.provenance,
    )


def load_cases(root: Path = DEFAULT_CASES_DIR, pattern: str | None = None) -> list[Case]:
    """Every case under `root` whose id matches the glob `pattern` (all when None), sorted by id."""
    if not root.is_dir():
        raise InputError(
            f"no eval cases at {root}: run from the repository root or pass --cases-dir"
        )
    folders = sorted(p for p in root.iterdir() if (p / "case.json").is_file())
    patterns = [p.strip() for p in (pattern or "*").split(",") if p.strip()]
    chosen = [f for f in folders if any(fnmatch.fnmatchcase(f.name, p) for p in patterns)]
    if not folders:
        raise InputError(f"{root} holds no eval cases (folders with a case.json)")
    if not chosen:
        raise InputError(f"no eval case under {root} matches {pattern!r}")
    return [load_case(f) for f in chosen]
