"""MkDocs hook: the worked examples of "How a model writes", computed at build time.

- Load ``extra.worked_examples_file`` (default ``data/worked-examples.yml``) once per
  build; bad inputs stop the build with file, line and field, never a traceback.
- Replace ``<!-- worked:NAME -->`` (a table or block, alone on its line) and
  ``<!-- worked:value KEY -->`` (one number, inside a sentence) in the page files before
  anything reads them, with what ``fieldguide.worked_examples`` computes: real tokens from
  OpenAI's cl100k_base tokenizer, softmax probabilities, Bayes' rule. An unknown name or
  key stops the build naming the page and line.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files

from check_docs.errors import DataError
from fieldguide.locations import docs_prefix
from fieldguide.page_markers import has_markers, rewrite_pages, substitute
from fieldguide.worked_examples import DEFAULT_FILE, Inputs, load_inputs, render_block, values

PREFIX = "worked"

_inputs: Inputs | None = None


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _inputs
    root = Path(config.config_file_path).parent
    try:
        _inputs = load_inputs(root / config.extra.get("worked_examples_file", DEFAULT_FILE))
    except DataError as exc:
        raise PluginError(str(exc)) from None
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    assert _inputs is not None
    inputs = _inputs
    numbers: dict[str, str] = {}

    def render(name: str, argument: str | None, alone: bool) -> str:
        if name == "value" and argument:
            if not numbers:
                numbers.update(values(inputs))
            if argument not in numbers:
                raise KeyError(
                    f"'worked:value {argument}' (known keys: {', '.join(sorted(numbers))})"
                )
            return numbers[argument]
        if not alone:
            raise KeyError(f"'worked:{name}': a block marker must stand alone on its line")
        try:
            return render_block(name, inputs)
        except KeyError:
            raise KeyError(
                f"'worked:{name}' (use tokens, few-shot, softmax, bayes or value KEY)"
            ) from None

    def rewrite(text: str, src_uri: str) -> str:
        if not has_markers(text, PREFIX):
            return text
        return substitute(text, PREFIX, render, docs_prefix(config) + src_uri)

    try:
        rewrite_pages(files, rewrite)
    except DataError as exc:
        raise PluginError(str(exc)) from None
    return files
