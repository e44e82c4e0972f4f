"""The example models (``data/models.yml``): one record of facts per model the guide discusses.

The timeline, the comparison's overlap figure and table, and the consistency test all
read this module, so a fact about a model (its date, maker, architecture, what it takes
in and generates, whether it is an LLM or a foundation model, whether its weights are
open, and the works that support all this) is written once.

Public API:

``load_models(path, sources=None) -> ModelData``
    Read and validate the file. With ``sources`` (from ``fieldguide.sources.load_sources``)
    every source id must exist there, and every dated entry must be dated by one of its
    sources: ``2018-10`` needs a cited arXiv id starting ``1810`` or a source whose ``date``
    names October 2018; a year alone needs a source of that year. Bad data raises
    ``check_docs.errors.DataError`` naming file, line and field.
``ModelData``
    ``models`` and ``milestones`` (tuples in date order), ``by_id`` (both kinds),
    ``architectures``, ``modalities`` and ``weights`` (id -> label), ``classes``
    (glossary entry id -> ``Rule``) and ``path``.
``Model`` / ``Milestone``
    Frozen records; see the YAML shape in the file's header. ``Model.generative`` and
    ``Model.open_weights`` are derived from ``generates`` and ``weights``.
``Rule``
    What a model must be to serve as an example of a glossary entry:
    ``rule.problems(model)`` lists the facts that contradict it (empty when it fits).
``check_examples(glossary, data) -> list[DataError]``
    Every ``examples:`` list in the glossary against these rules.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from check_docs.errors import DataError
from check_docs.yamldata import Located, load_located
from fieldguide.sources import Source

DEFAULT_MODELS_FILE = "data/models.yml"
SUMMARY_LIMIT = 200

_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_YEAR_MONTH = re.compile(r"(\d{4})-(\d{2})")
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_DATE_TEXT = re.compile(rf"\b({'|'.join(MONTHS)})\s+(\d{{4}})\b", re.IGNORECASE)
# A tooltip-like one-liner: plain text only, because it is shown in tables and lists.
_MARKUP = re.compile(r"[`*\[\]<>|]")

MODEL_FIELDS = (
    "id",
    "name",
    "date",
    "maker",
    "architecture",
    "inputs",
    "generates",
    "llm",
    "foundation",
    "weights",
    "sources",
    "summary",
)
MODEL_OPTIONAL = ("aliases", "licence", "see")
MILESTONE_FIELDS = ("id", "name", "date", "sources", "summary")
MILESTONE_OPTIONAL = ("see",)
VOCABULARIES = ("architectures", "modalities", "weights")
RULE_KEYS = ("llm", "foundation", "generative", "open_weights", "architecture", "generates")


@dataclass(frozen=True)
class Milestone:
    """An idea or method on the timeline: a paper that changed how models are built."""

    id: str
    name: str
    year: int
    month: int | None
    sources: tuple[str, ...]
    summary: str
    see: str | None
    line: int
    # 1-based line of each field, so checks made after loading can point at the value.
    lines: dict[str, int] = field(default_factory=dict, hash=False, compare=False)

    def line_of(self, name: str) -> int:
        return self.lines.get(name, self.line)

    @property
    def date(self) -> str:
        return f"{self.year}-{self.month:02d}" if self.month else str(self.year)


@dataclass(frozen=True)
class Model(Milestone):
    """A named model, with the facts the guide states about it."""

    aliases: tuple[str, ...] = ()
    maker: str = ""
    architecture: str = ""
    inputs: tuple[str, ...] = ()
    generates: tuple[str, ...] = ()
    llm: bool = False
    foundation: bool = False
    weights: str = ""
    licence: str | None = None

    @property
    def generative(self) -> bool:
        return bool(self.generates)

    @property
    def open_weights(self) -> bool:
        return self.weights == "open"

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class Rule:
    """Facts every example of one glossary entry must have (``None``: not constrained)."""

    entry: str
    line: int
    llm: bool | None = None
    foundation: bool | None = None
    generative: bool | None = None
    open_weights: bool | None = None
    architecture: tuple[str, ...] = ()
    generates: tuple[str, ...] = ()

    def problems(self, model: Model) -> list[str]:
        """What about ``model`` contradicts the rule, in words a writer can act on."""
        found: list[str] = []
        for name, says in (
            ("llm", "an LLM"),
            ("foundation", "a foundation model"),
            ("generative", "generative"),
            ("open_weights", "open-weights"),
        ):
            wanted = getattr(self, name)
            if wanted is not None and getattr(model, name) != wanted:
                found.append(f"is {'not ' if wanted else ''}{says}")
        if self.architecture and model.architecture not in self.architecture:
            found.append(f"has architecture '{model.architecture}'")
        missing = [m for m in self.generates if m not in model.generates]
        if missing:
            found.append(f"does not generate {', '.join(missing)}")
        return found


@dataclass(frozen=True)
class ModelData:
    path: Path
    models: tuple[Model, ...]
    milestones: tuple[Milestone, ...]
    architectures: dict[str, str] = field(hash=False, compare=False)
    modalities: dict[str, str] = field(hash=False, compare=False)
    weights: dict[str, str] = field(hash=False, compare=False)
    classes: dict[str, Rule] = field(hash=False, compare=False)
    by_id: dict[str, Milestone] = field(hash=False, compare=False)


def models_path(config_dir: Path, configured: str | None = None) -> Path:
    return Path(config_dir) / (configured or DEFAULT_MODELS_FILE)


# --- Field readers: each names the line of the value it rejects ------------------------


def _fail(path: Path, item: Located, name: str, message: str) -> DataError:
    return DataError(path, item.line_of(name), name, message)


def _text(path: Path, item: Located, name: str, *, required: bool = True) -> str | None:
    value = item.value.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        what = "missing or empty" if value in (None, "") else "must be text"
        raise _fail(path, item, name, f"'{name}' {what}")
    return " ".join(value.split())


def _ids(path: Path, item: Located, name: str, allowed: Mapping[str, str] | None) -> tuple:
    value = item.value.get(name)
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise _fail(path, item, name, f"'{name}' must be a list of ids, e.g. [text, image]")
    if allowed is not None:
        for v in value:
            if v not in allowed:
                raise _fail(
                    path, item, name, f"unknown {name} '{v}' (allowed: {', '.join(allowed)})"
                )
    return tuple(value)


def _flag(path: Path, item: Located, name: str) -> bool:
    value = item.value.get(name)
    if not isinstance(value, bool):
        raise _fail(path, item, name, f"'{name}' must be true or false")
    return value


def _date(path: Path, item: Located) -> tuple[int, int | None]:
    value = item.value.get("date")
    if isinstance(value, int) and not isinstance(value, bool) and 1900 <= value <= 2100:
        return value, None
    if isinstance(value, str):
        match = _YEAR_MONTH.fullmatch(value.strip())
        if match and 1 <= int(match.group(2)) <= 12:
            return int(match.group(1)), int(match.group(2))
    raise _fail(
        path, item, "date", f"date {value!r} must be a year (2018) or a year and month (2018-10)"
    )


def _plain(path: Path, item: Located, name: str, value: str) -> str:
    if len(value) > SUMMARY_LIMIT or _MARKUP.search(value):
        raise _fail(
            path,
            item,
            name,
            f"'{name}' must be one plain sentence of at most {SUMMARY_LIMIT} characters "
            "(no Markdown or HTML)",
        )
    return value


def _see(path: Path, item: Located) -> str | None:
    value = _text(path, item, "see", required=False)
    if value is not None and (not value.split("#")[0].endswith(".md") or "://" in value):
        raise _fail(
            path, item, "see", "'see' must be a page of the guide, e.g. concepts/llm.md#bert"
        )
    return value


def _check_fields(
    path: Path, item: Located, required: tuple[str, ...], optional: tuple[str, ...]
) -> None:
    unknown = sorted(set(item.value) - set(required) - set(optional))
    if unknown:
        allowed = ", ".join(required + optional)
        raise _fail(path, item, unknown[0], f"unknown field '{unknown[0]}' (allowed: {allowed})")
    for name in required:
        if name not in item.value:
            raise DataError(path, item.line, name, f"missing field '{name}'")


def _common(path: Path, item: Located) -> dict[str, Any]:
    eid = _text(path, item, "id") or ""
    if not _ID.fullmatch(eid):
        raise _fail(path, item, "id", f"id '{eid}' must be lower-case words joined by hyphens")
    year, month = _date(path, item)
    return {
        "id": eid,
        "name": _plain(path, item, "name", _text(path, item, "name") or ""),
        "year": year,
        "month": month,
        "sources": _ids(path, item, "sources", None) or _missing_sources(path, item),
        "summary": _plain(path, item, "summary", _text(path, item, "summary") or ""),
        "see": _see(path, item),
        "line": item.line,
        "lines": dict(item.key_lines),
    }


def _missing_sources(path: Path, item: Located) -> tuple[str, ...]:
    raise _fail(path, item, "sources", "'sources' must list at least one id from data/sources.yml")


def _model(path: Path, item: Located, vocab: dict[str, dict[str, str]]) -> Model:
    _check_fields(path, item, MODEL_FIELDS, MODEL_OPTIONAL)
    architecture = _text(path, item, "architecture") or ""
    if architecture not in vocab["architectures"]:
        allowed = ", ".join(vocab["architectures"])
        raise _fail(
            path,
            item,
            "architecture",
            f"unknown architecture '{architecture}' (allowed: {allowed})",
        )
    weights = _text(path, item, "weights") or ""
    if weights not in vocab["weights"]:
        allowed = ", ".join(vocab["weights"])
        raise _fail(path, item, "weights", f"unknown weights '{weights}' (allowed: {allowed})")
    inputs = _ids(path, item, "inputs", vocab["modalities"])
    if not inputs:
        raise _fail(path, item, "inputs", "'inputs' must list at least one modality")
    return Model(
        **_common(path, item),
        aliases=tuple(" ".join(a.split()) for a in _ids(path, item, "aliases", None)),
        maker=_text(path, item, "maker") or "",
        architecture=architecture,
        inputs=inputs,
        generates=_ids(path, item, "generates", vocab["modalities"]),
        llm=_flag(path, item, "llm"),
        foundation=_flag(path, item, "foundation"),
        weights=weights,
        licence=_text(path, item, "licence", required=False),
    )


def _milestone(path: Path, item: Located) -> Milestone:
    _check_fields(path, item, MILESTONE_FIELDS, MILESTONE_OPTIONAL)
    return Milestone(**_common(path, item))


def _vocabulary(path: Path, data: Located, name: str) -> dict[str, str]:
    value = data.value.get(name)
    if not isinstance(value, Located) or not value.value:
        raise DataError(
            path, data.line_of(name), name, f"expected a '{name}:' mapping of id: label"
        )
    for key, label in value.value.items():
        if not _ID.fullmatch(key) or not isinstance(label, str) or not label.strip():
            raise DataError(
                path, value.line_of(key), name, f"'{key}' needs a lower-case id and a text label"
            )
    return {k: " ".join(v.split()) for k, v in value.value.items()}


def _rule(path: Path, entry: str, item: Any, data: Located, vocab: dict) -> Rule:
    line = data.value["classes"].line_of(entry)
    if not isinstance(item, Located) or not item.value:
        raise DataError(path, line, "classes", f"'{entry}' needs a mapping such as {{llm: true}}")
    unknown = sorted(set(item.value) - set(RULE_KEYS))
    if unknown:
        raise DataError(
            path,
            item.line_of(unknown[0]),
            "classes",
            f"unknown fact '{unknown[0]}' (allowed: {', '.join(RULE_KEYS)})",
        )
    values: dict[str, Any] = {}
    for key, wanted in item.value.items():
        if key in ("architecture", "generates"):
            vocabulary = "architectures" if key == "architecture" else "modalities"
            allowed = vocab[vocabulary]
            listed = wanted if isinstance(wanted, list) else [wanted]
            if not listed or not all(isinstance(v, str) and v in allowed for v in listed):
                raise DataError(
                    path,
                    item.line_of(key),
                    "classes",
                    f"'{key}' must name ids from '{vocabulary}'",
                )
            values[key] = tuple(listed)
        elif not isinstance(wanted, bool):
            raise DataError(path, item.line_of(key), "classes", f"'{key}' must be true or false")
        else:
            values[key] = wanted
    return Rule(entry=entry, line=line, **values)


def _classes(path: Path, data: Located, vocab: dict) -> dict[str, Rule]:
    value = data.value.get("classes")
    if value is None:
        return {}
    if not isinstance(value, Located):
        raise DataError(path, data.line_of("classes"), "classes", "expected a mapping")
    return {entry: _rule(path, entry, rule, data, vocab) for entry, rule in value.value.items()}


# --- Dates supported by sources ---------------------------------------------------------


def source_months(source: Source) -> set[tuple[int, int | None]]:
    """The (year, month) pairs a source dates: its arXiv id, its ``date`` text, its year."""
    found: set[tuple[int, int | None]] = set()
    if source.arxiv and re.match(r"\d{4}\.", source.arxiv):
        found.add((2000 + int(source.arxiv[:2]), int(source.arxiv[2:4])))
    if source.date:
        for month, year in _DATE_TEXT.findall(source.date):
            found.add((int(year), MONTHS.index(month.capitalize()) + 1))
    if source.year:
        found.add((source.year, None))
    return found


def _check_sources(path: Path, data: ModelData, sources: Mapping[str, Source]) -> None:
    for entry in (*data.models, *data.milestones):
        for sid in entry.sources:
            if sid not in sources:
                raise DataError(
                    path,
                    entry.line_of("sources"),
                    "sources",
                    f"unknown source id '{sid}': add it to data/sources.yml or fix the id",
                )
        dated = set().union(*(source_months(sources[s]) for s in entry.sources))
        years = {year for year, _ in dated}
        supported = (entry.year, entry.month) in dated if entry.month else entry.year in years
        if not supported:
            known = ", ".join(sorted(f"{y}-{m:02d}" if m else str(y) for y, m in dated)) or "none"
            raise DataError(
                path,
                entry.line_of("date"),
                "date",
                f"date {entry.date} of '{entry.id}' is not given by any of its sources "
                f"(they date: {known}); cite the paper or announcement that dates it",
            )


# --- Loading ----------------------------------------------------------------------------

TOP_LEVEL = ("architectures", "modalities", "weights", "classes", "models", "milestones")


def load_models(path: Path, sources: Mapping[str, Source] | None = None) -> ModelData:
    """Read and validate the models file; raise DataError naming file, line and field."""
    path = Path(path)
    data = load_located(path)
    if not isinstance(data, Located) or not isinstance(data.value.get("models"), list):
        raise DataError(path, 1, "models", "expected a top-level 'models:' list")
    unknown = sorted(set(data.value) - set(TOP_LEVEL))
    if unknown:
        raise DataError(
            path,
            data.line_of(unknown[0]),
            unknown[0],
            f"unknown top-level key '{unknown[0]}' (allowed: {', '.join(TOP_LEVEL)})",
        )
    vocab = {name: _vocabulary(path, data, name) for name in VOCABULARIES}
    entries: list[Milestone] = []
    for key, read in (
        ("models", lambda item: _model(path, item, vocab)),
        ("milestones", lambda item: _milestone(path, item)),
    ):
        items = data.value.get(key) or []
        if not isinstance(items, list):
            raise DataError(path, data.line_of(key), key, f"'{key}' must be a list")
        for item in items:
            if not isinstance(item, Located):
                raise DataError(path, data.line_of(key), key, f"each of '{key}' is a mapping")
            entries.append(read(item))
    by_id: dict[str, Milestone] = {}
    for entry in entries:
        if entry.id in by_id:
            raise DataError(
                path,
                entry.line,
                "id",
                f"duplicate id '{entry.id}' (first on line {by_id[entry.id].line})",
            )
        by_id[entry.id] = entry
    _check_names(path, [e for e in entries if isinstance(e, Model)])

    def order(e: Milestone) -> tuple[int, int, str]:
        return (e.year, e.month or 0, e.name.casefold())

    result = ModelData(
        path=path,
        models=tuple(sorted((e for e in entries if isinstance(e, Model)), key=order)),
        milestones=tuple(sorted((e for e in entries if not isinstance(e, Model)), key=order)),
        architectures=vocab["architectures"],
        modalities=vocab["modalities"],
        weights=vocab["weights"],
        classes=_classes(path, data, vocab),
        by_id=by_id,
    )
    if sources is not None:
        _check_sources(path, result, sources)
    return result


def _check_names(path: Path, models: list[Model]) -> None:
    """A name or alias belongs to one model, so a page's mention of it is unambiguous."""
    owner: dict[str, Model] = {}
    for model in models:
        for name in model.names:
            other = owner.setdefault(name.casefold(), model)
            if other is not model:
                raise DataError(
                    path,
                    model.line_of("aliases" if name != model.name else "name"),
                    "name",
                    f"name '{name}' is already used by '{other.id}' (line {other.line})",
                )


# --- The glossary's examples ------------------------------------------------------------


def check_examples(glossary: Any, data: ModelData) -> list[DataError]:
    """Every glossary entry's ``examples`` must be models that fit the entry's class rule.

    ``glossary`` is a ``fieldguide.glossary.Glossary``; entries without examples are
    skipped. An entry with examples but no rule in ``classes`` is itself an error: the
    test could not tell whether its examples are right.
    """
    problems: list[DataError] = []
    for entry in glossary.entries:
        examples = getattr(entry, "examples", ())
        if not examples:
            continue
        where = (glossary.path, entry.examples_line or entry.line, "examples")
        rule = data.classes.get(entry.id)
        if rule is None:
            problems.append(
                DataError(
                    *where,
                    f"'{entry.id}' lists examples but {data.path.name} has no rule for it "
                    f"under 'classes:'; add one (e.g. {entry.id}: {{llm: true}})",
                )
            )
            continue
        for mid in examples:
            model = data.by_id.get(mid)
            if not isinstance(model, Model):
                problems.append(
                    DataError(*where, f"example '{mid}' is not a model id in {data.path.name}")
                )
                continue
            for problem in rule.problems(model):
                problems.append(
                    DataError(
                        *where,
                        f"example '{mid}' {problem}, so it cannot illustrate '{entry.term}' "
                        f"(rule on line {rule.line} of {data.path.name})",
                    )
                )
    return problems
