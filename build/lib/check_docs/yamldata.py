"""Load YAML while remembering the line each value came from.

Writers edit the YAML registries by hand; errors must name the line, which
plain ``yaml.safe_load`` forgets. We compose the node tree and keep the marks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from check_docs import files
from check_docs.config_yaml import YamlError, check_bounds
from check_docs.errors import DataError

MAX_BYTES = 10 * 1024 * 1024

# The C loader composes about ten times faster; fall back where libyaml is absent.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_CONSTRUCTOR = yaml.SafeLoader("")


@dataclass
class Located:
    """A YAML mapping with the 1-based line of the mapping and of each key."""

    value: dict[str, Any]
    line: int
    key_lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


def _convert(node: yaml.Node, path: Path) -> Any:
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = _convert(key_node, path)
            if not isinstance(key, str):
                raise DataError(path, key_node.start_mark.line + 1, None, "keys must be text")
            if key in out:
                raise DataError(
                    path, key_node.start_mark.line + 1, key, f"key '{key}' appears twice"
                )
            out[key] = _convert(value_node, path)
            lines[key] = key_node.start_mark.line + 1
        return Located(out, node.start_mark.line + 1, lines)
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, path) for item in node.value]
    # Scalars: PyYAML's safe constructor decides the type (int, bool, null, str).
    try:
        return _CONSTRUCTOR.construct_object(node)
    except (yaml.YAMLError, ValueError, OverflowError) as exc:  # "9" * 5000, a 30 February
        reason = str(exc).split("; use sys.")[0].replace("\n", " ")
        raise DataError(
            path, node.start_mark.line + 1, None, f"cannot read this value ({reason})"
        ) from None


def load_located(path: Path) -> Any:
    """Parse ``path``; raise DataError (never a traceback) for unreadable or invalid YAML."""
    if not path.exists() and not path.is_symlink():
        raise DataError(path, None, None, "file not found")
    try:  # regular files only, size checked first (check_docs.files)
        text = files.read_text(path, MAX_BYTES)
    except files.FileProblem as problem:
        raise DataError(path, problem.line, None, problem.message) from None
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise DataError(path, line, None, f"invalid YAML: {exc.problem}") from None
    except RecursionError:
        raise DataError(path, None, None, "invalid YAML: nested too deep") from None
    if node is None:
        raise DataError(path, 1, None, "file is empty")
    try:  # a finite tree of bounded size: no recursive alias, no alias bomb
        check_bounds(node, lambda n: n.start_mark.line + 1, reader="check_docs")
    except YamlError as exc:
        raise DataError(path, int(exc.where), None, exc.message) from None
    return _convert(node, path)
