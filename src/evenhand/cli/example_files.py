"""`evenhand demo --save-example DIR`: the bundled example as the files the README's examples name.

`a.txt` and `b.txt` are the two articles as shipped; the other files hold the same articles in
the other input formats (`b.html` a web page, `stories.jsonl` article objects with outlet names,
`clusters.jsonl` one batch cluster) and `draft.txt` is an editor's draft to check against them.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from ..errors import UsageError
from ..schema import Article

# The article ids the README uses, and outlet names that are plainly not real outlets.
_IDS = ("a", "b")
_OUTLETS = {"a": "Outlet A", "b": "Outlet B"}


def _html_page(article: Article) -> str:
    title = html.escape(article.title or article.id)
    paragraphs = "\n".join(
        f"<p>{html.escape(p.strip())}</p>" for p in article.text.split("\n") if p.strip()
    )
    return (
        '<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8">'
        f"<title>{title}</title></head>\n<body>\n<article>\n<h1>{title}</h1>\n"
        f"{paragraphs}\n</article>\n</body>\n</html>\n"
    )


def _article_object(article: Article) -> dict[str, str]:
    fields = {"id": article.id, "outlet": _OUTLETS[article.id], "title": article.title}
    return {k: v for k, v in {**fields, "text": article.text}.items() if v is not None}


def example_files() -> dict[str, str]:
    """File name -> contents of every file `--save-example` writes."""
    from ..data import example_draft, example_paths
    from ..sources import load_articles

    shipped = example_paths()
    loaded = load_articles(shipped)
    articles = [a.model_copy(update={"id": new}) for a, new in zip(loaded, _IDS, strict=True)]
    objects = [_article_object(a) for a in articles]
    cluster = {"id": "lukashenko-troops", "articles": objects}
    files = {
        f"{new}.txt": path.read_text(encoding="utf-8")
        for path, new in zip(shipped, _IDS, strict=True)
    }
    files["b.html"] = _html_page(articles[1])
    files["stories.jsonl"] = "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objects)
    files["clusters.jsonl"] = json.dumps(cluster, ensure_ascii=False) + "\n"
    files["draft.txt"] = example_draft().read_text(encoding="utf-8")
    return files


def save_example(folder: Path) -> list[Path]:
    """Write the example files into `folder` (created if missing). Nothing is overwritten: when
    one of the files exists already, nothing is written and the error names it."""
    from ..safe_write import atomic_write_text

    if folder.exists() and not folder.is_dir():
        raise UsageError(f"--save-example {folder}: not a folder")
    files = example_files()
    taken = [name for name in files if (folder / name).exists()]
    if taken:
        raise UsageError(
            f"--save-example {folder}: {', '.join(taken)} already there; "
            "remove them or choose another folder"
        )
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in files.items():
        atomic_write_text(folder / name, text)
        written.append(folder / name)
    return written
