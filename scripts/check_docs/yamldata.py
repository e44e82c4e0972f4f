"""Load YAML while remembering the line each value came from.

Writers edit the YAML registries by hand; errors must name the line, which
plain ``yaml.safe_load`` forgets. We compose the node tree and keep the marks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from check_docs.errors import DataError

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
    return _CONSTRUCTOR.construct_object(node)


def load_located(path: Path) -> Any:
    """Parse ``path``; raise DataError (never a traceback) for unreadable or invalid YAML."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError(path, None, None, "file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(path, None, None, f"cannot read file: {exc}") from None
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise DataError(path, line, None, f"invalid YAML: {exc.problem}") from None
    if node is None:
        raise DataError(path, 1, None, "file is empty")
    return _convert(node, path)
