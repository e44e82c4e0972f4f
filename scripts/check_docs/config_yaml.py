"""Read mkdocs.yml as MkDocs would, without running anything and within bounds.

- Tags: ``!ENV`` with MkDocs' own semantics (its library, ``pyyaml_env_tag``),
  ``!relative`` kept as a marker, every ``!!python/...`` tag kept as a
  :class:`~check_docs.slugs.PyRef` (nothing named is imported), any other tag a
  configuration error, as in MkDocs.
- Bounds, checked on the composed document before any value is built or walked: no
  value that contains itself (a recursive alias), no more than :data:`MAX_VALUES`
  values once aliases are expanded ("billion laughs"), no nesting deeper than
  :data:`MAX_DEPTH`, no file larger than :data:`MAX_BYTES`.
- ``INHERIT``: the parent is read relative to the file and merged under it with
  MkDocs' own merge (``mergedeep``); a missing parent or a cycle is an error.
- Every value keeps where it was written (:meth:`Document.where`), so an error names
  ``file:line``.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import mergedeep
import yaml
import yaml.constructor
import yaml_env_tag

from check_docs import files
from check_docs.slugs import PyRef

MAX_BYTES = 10 * 1024 * 1024
MAX_VALUES = 1_000_000
MAX_DEPTH = 100
MAX_INHERIT = 20
# What MkDocs' loader knows besides standard YAML: its two tags and PyYAML's Python ones.
KNOWN_TAGS = "the standard YAML tags, !ENV, !relative and !!python/... tags"

Path_ = tuple[str | int, ...]


class YamlError(Exception):
    """A configuration file MkDocs would refuse: ``where`` is ``file:line``."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}")
        self.where = where
        self.message = message


@dataclass(frozen=True)
class Relative:
    """MkDocs' ``!relative`` tag (a path resolved while a page renders): kept as text."""

    value: str


_PYTHON = "tag:yaml.org,2002:python/"
_REFERENCE_KINDS = ("name", "module", "object/apply", "object/new", "object")


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe YAML plus MkDocs' tags; constructs nothing a file names."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except (ValueError, OverflowError) as exc:
            # int("9" * 5000), a 30th of February: PyYAML lets these escape unmarked.
            reason = str(exc).split("; use sys.")[0]  # Python's advice is not the writer's
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"cannot read this value ({reason}); MkDocs cannot read it either",
                node.start_mark,
            ) from None


def _python(loader: _Loader, suffix: str, node: yaml.Node) -> Any:
    line = node.start_mark.line + 1
    for kind in _REFERENCE_KINDS:
        if suffix.startswith(kind + ":"):
            name = suffix[len(kind) + 1 :]
            args: tuple[Any, ...] = ()
            kwds: dict[Any, Any] | None = None
            if isinstance(node, yaml.SequenceNode):
                args = tuple(loader.construct_sequence(node, deep=True))
            elif isinstance(node, yaml.MappingNode):
                value = loader.construct_mapping(node, deep=True)
                raw_args = value.get("args", ())
                args = tuple(raw_args) if isinstance(raw_args, list | tuple) else (raw_args,)
                kwds = value.get("kwds", {})
            return PyRef(kind, name, line, args, kwds)
    # Plain values with a Python type (!!python/str, !!python/tuple, ...): their YAML content.
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node, deep=True)
    return loader.construct_scalar(node)


def _env(loader: _Loader, node: yaml.Node) -> Any:
    return yaml_env_tag.construct_env_tag(loader, node)  # MkDocs' own !ENV


def _relative(loader: _Loader, node: yaml.Node) -> Relative:
    value = str(loader.construct_scalar(node) or "")  # type: ignore[arg-type]
    prefix = value.partition("/")[0]
    if prefix.startswith("$") and prefix not in ("$config_dir", "$docs_dir"):
        raise yaml.constructor.ConstructorError(
            None, None, f"!relative has unknown prefix {prefix!r}; MkDocs expects "
            "$config_dir or $docs_dir", node.start_mark,
        )  # fmt: skip
    if value and not prefix.startswith("$"):
        raise yaml.constructor.ConstructorError(
            None, None, f"!relative takes no value here, got {value!r}; MkDocs expects "
            "!relative, !relative $config_dir or !relative $docs_dir", node.start_mark,
        )  # fmt: skip
    return Relative(value)


def _unknown(loader: _Loader, suffix: str, node: yaml.Node) -> Any:
    raise yaml.constructor.ConstructorError(
        None, None, f"unknown YAML tag {node.tag!r}; MkDocs reads {KNOWN_TAGS}", node.start_mark
    )


_Loader.add_multi_constructor(_PYTHON, _python)
_Loader.add_constructor("!ENV", _env)
_Loader.add_constructor("!relative", _relative)
_Loader.add_multi_constructor("!", _unknown)
_Loader.add_multi_constructor("tag:", _unknown)


def _children(node: yaml.Node) -> Iterator[yaml.Node]:
    """A collection's keys and values, in order (a C iterator: documents have many)."""
    if isinstance(node, yaml.MappingNode):
        return itertools.chain.from_iterable(node.value)
    return iter(node.value if isinstance(node, yaml.SequenceNode) else ())


def check_bounds(root: yaml.Node, where: Any, reader: str = "MkDocs") -> None:
    """Raise YamlError when the composed document is not a finite tree of bounded size
    (aliases make it a graph): a value containing itself, too many values once
    aliases are expanded, or too deep. Iterative, and linear in the document's size."""
    size: dict[int, int] = {}  # node -> values in it once aliases are expanded
    on_path: set[int] = {id(root)}
    # (collection, its children still to visit, [values counted so far, itself included])
    stack: list[tuple[yaml.Node, Iterator[yaml.Node], list[int]]] = [(root, _children(root), [1])]
    while stack:
        node, children, total = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            on_path.discard(id(node))
            if total[0] > MAX_VALUES:
                raise YamlError(
                    where(node),
                    f"its aliases expand to more than {MAX_VALUES:,} values (a 'billion "
                    f"laughs' document); {reader} expects data, not a bomb",
                )
            size[id(node)] = total[0]
            if stack:
                stack[-1][2][0] += total[0]
            continue
        known = size.get(id(child))
        if known is not None:
            total[0] += known
            continue
        if id(child) in on_path:
            raise YamlError(
                where(child),
                f"a recursive alias: this value contains itself; {reader} expects values "
                "that end (an alias may only repeat a value defined before it, outside it)",
            )
        if len(stack) >= MAX_DEPTH:
            raise YamlError(
                where(child),
                f"values nested more than {MAX_DEPTH} levels deep; {reader} reads no deeper",
            )
        if isinstance(child, yaml.ScalarNode):  # most values: counted without a visit
            size[id(child)] = 1
            total[0] += 1
            continue
        on_path.add(id(child))
        stack.append((child, _children(child), [1]))


Position = tuple[int, int]  # 1-based line and column


@dataclass
class SourceFile:
    path: Path
    display: str  # as messages name it
    # key path -> where its value is written (a collection: where its key is)
    index: dict[Path_, Position] = field(default_factory=dict)


def _key(node: yaml.Node) -> str | None:
    return str(node.value) if isinstance(node, yaml.ScalarNode) else None


def _position(node: yaml.Node) -> Position:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _index(root: yaml.Node) -> dict[Path_, Position]:
    """Key path -> position of every value, each node visited once (aliases are not
    expanded: a value reached through one is found at its nearest indexed parent)."""
    index: dict[Path_, Position] = {(): _position(root)}
    seen: set[int] = set()
    stack: list[tuple[Path_, yaml.Node]] = [((), root)]
    while stack:
        path, node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            for number, item in enumerate(node.value):
                index.setdefault((*path, number), _position(item))
                stack.append(((*path, number), item))
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                name = _key(key)
                if name is not None:
                    scalar = isinstance(value, yaml.ScalarNode) and value.value != ""
                    index.setdefault((*path, name), _position(value if scalar else key))
                    stack.append(((*path, name), value))
    return index


@dataclass
class Document:
    """The merged configuration and where each of its values was written."""

    data: dict[str, Any]
    files: list[SourceFile]  # the file itself first, then its INHERIT parents

    def position(self, *path: str | int) -> tuple[SourceFile, Position]:
        """The file and position of the value at ``path`` (or of the nearest enclosing
        value known): the file that set it, child before parent, as the merge does."""
        for file in self.files:  # the value itself, most often asked for (a nav entry)
            found = file.index.get(path)
            if found is not None:
                return file, found
        key = tuple(p if isinstance(p, int) else str(p) for p in path)
        for length in range(len(key), -1, -1):
            for file in self.files:
                found = file.index.get(key[:length])
                if found is not None:
                    return file, found
        return self.files[0], (1, 1)

    def where(self, *path: str | int) -> str:
        """``file:line`` of the value at ``path``, for a message."""
        file, (line, _column) = self.position(*path)
        return f"{file.display}:{line}"


def _decode(raw: bytes, display: str) -> str:
    # MkDocs hands PyYAML the bytes: UTF-8, or UTF-16 with a byte-order mark.
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise YamlError(display, f"not valid UTF-16: {exc.reason}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise YamlError(
            f"{display}:{line}",
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); MkDocs expects UTF-8, or "
            "UTF-16 with a byte-order mark",
        ) from None


def _mark_where(display: str, exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return f"{display}:{mark.line + 1}" if mark is not None else display


def _problem(exc: yaml.YAMLError) -> str:
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    return f"{context}: {problem}" if context and "cannot read" not in problem else problem


def read_one(path: Path, display: str) -> tuple[Any, SourceFile]:
    """One YAML file's value and its line index; YamlError when MkDocs would refuse it."""
    try:
        raw = files.read_bytes(path, MAX_BYTES)
    except files.FileProblem as problem:
        raise YamlError(display, problem.message) from None
    text = _decode(raw, display)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        file = SourceFile(path, display)
        if node is None:
            return None, file
        check_bounds(node, lambda n: f"{display}:{n.start_mark.line + 1}")
        file.index = _index(node)
        return loader.construct_document(node), file
    except yaml.YAMLError as exc:
        raise YamlError(_mark_where(display, exc), f"invalid YAML: {_problem(exc)}") from None
    except RecursionError:  # PyYAML's pure-Python parser, on a document libyaml refuses
        raise YamlError(
            display, "values nested too deep; no MkDocs setting nests that far"
        ) from None
    finally:
        getattr(loader, "dispose", lambda: None)()


def load(path: Path, display: str) -> Document:
    """mkdocs.yml with its INHERIT parents merged in, as MkDocs merges them."""
    chain: list[str] = []
    documents: list[tuple[dict[str, Any], SourceFile]] = []
    current, shown = path, display
    while True:
        chain.append(os.path.realpath(current))
        data, file = read_one(current, shown)
        if data is None:
            data = {}  # an empty file, as MkDocs reads it
        if not isinstance(data, dict):
            raise YamlError(
                f"{shown}:1", "expected a mapping of settings (name: value), as MkDocs does"
            )
        documents.append((data, file))
        if "INHERIT" not in data:
            break
        parent = data.pop("INHERIT")
        where = f"{shown}:{file.index.get(('INHERIT',), (1, 1))[0]}"
        if not isinstance(parent, str) or not parent:
            raise YamlError(
                where, "INHERIT: MkDocs expects the path of a parent configuration file, "
                "relative to this one",
            )  # fmt: skip
        target = Path(os.path.normpath(Path(current).parent / parent))
        shown = os.path.normpath(Path(shown).parent / parent)
        if os.path.realpath(target) in chain:
            loop = " -> ".join([*(f.display for _d, f in documents), shown])
            raise YamlError(
                where, f"INHERIT makes a cycle ({loop}); MkDocs expects parents that end"
            )
        if len(documents) > MAX_INHERIT:
            raise YamlError(where, f"INHERIT: more than {MAX_INHERIT} parents in a chain")
        if not target.exists():
            raise YamlError(
                where,
                f"INHERIT: '{parent}' does not exist (looked for {target}); MkDocs expects "
                "the path of a parent configuration file, relative to this one",
            )
        current = target
    merged: dict[str, Any] = documents[-1][0]
    for data, _file in reversed(documents[:-1]):
        merged = mergedeep.merge(merged, data)  # MkDocs' merge: mappings deep, the rest replaced
    return Document(merged, [file for _data, file in documents])
