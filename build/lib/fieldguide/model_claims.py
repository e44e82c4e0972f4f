"""Find what a page states about a named model and check it against ``data/models.yml``.

Pages are prose, so only claims with a fixed shape are read; each is checked against the
model data and every contradiction is reported with the page's line:

- ``NAME (YEAR)``: the year a model appeared, as in "**BERT** (2018)" or a table cell
  "DALL-E 2 (2022)". The year must be the model's year.
- ``NAME (YEAR) from MAKER``: who built it, as in "**T5** (2019) from Google". The maker
  named must be one of the makers the data gives.
- A Markdown table whose header names concepts with a rule in ``classes`` (for example
  "Generative AI | Large language models | Foundation models"): in its "Examples" row, each
  model named under a concept must fit that concept's rule.
- A Mermaid flowchart whose nodes are labelled with model names and with those concepts
  (the home page's figure): a model must be joined to exactly the concepts it belongs to.

Text inside code spans, code blocks and HTML comments is never read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from fieldguide.models import Model, ModelData, Rule


@dataclass(frozen=True)
class Claim:
    """One contradiction: where it is and what is wrong."""

    line: int
    message: str


_FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})(.*)$")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_CODE_SPAN = re.compile(r"`[^`\n]*`")
_MAKER = re.compile(r"\s+from\s+(?:the\s+)?([A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*)*)")


def _blank_comments(text: str) -> str:
    """Keep line numbers, drop HTML comments: their characters become spaces."""
    return _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def _blank_code_spans(line: str) -> str:
    return _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)


def _prose_and_mermaid(text: str) -> tuple[list[tuple[int, str]], list[tuple[int, list[str]]]]:
    """Split a page into prose lines and Mermaid fences (each with its first line number)."""
    prose: list[tuple[int, str]] = []
    mermaid: list[tuple[int, list[str]]] = []
    fence: str | None = None
    current: list[str] | None = None
    start = 0
    for number, line in enumerate(_blank_comments(text).splitlines(), start=1):
        match = _FENCE.match(line)
        if fence is None and match:
            fence = match.group(2)
            current = [] if match.group(3).strip().startswith("mermaid") else None
            start = number + 1
            continue
        if fence is not None:
            if line.strip().startswith(fence):
                if current is not None:
                    mermaid.append((start, current))
                fence, current = None, None
            elif current is not None:
                current.append(line)
            continue
        prose.append((number, _blank_code_spans(line)))
    return prose, mermaid


def _name_pattern(data: ModelData) -> tuple[re.Pattern[str], dict[str, Model]]:
    by_name = {name: m for m in data.models for name in m.names}
    # Longest names first, so "GPT-4o" wins over "GPT-4" and "DALL-E 2" over "DALL-E".
    names = sorted(by_name, key=len, reverse=True)
    alternatives = "|".join(re.escape(n) for n in names)
    pattern = re.compile(rf"(?<![\w-])({alternatives})(?![\w-]|\.\d| \d)")
    return pattern, by_name


def _year_and_maker_claims(prose: list[tuple[int, str]], data: ModelData) -> Iterator[Claim]:
    pattern, by_name = _name_pattern(data)
    for number, line in prose:
        for match in pattern.finditer(line):
            model = by_name[match.group(1)]
            rest = line[match.end() :]
            year = re.match(r"\**\s*\((\d{4})\)", rest)
            if not year:
                continue
            if int(year.group(1)) != model.year:
                yield Claim(
                    number,
                    f"'{match.group(1)} ({year.group(1)})' but data/models.yml dates "
                    f"'{model.id}' {model.date}",
                )
            maker = _MAKER.match(rest[year.end() :])
            if maker and not _same_maker(maker.group(1), model.maker):
                yield Claim(
                    number,
                    f"'{match.group(1)}' from {maker.group(1)}, but data/models.yml gives "
                    f"the maker of '{model.id}' as {model.maker}",
                )


def _same_maker(named: str, maker: str) -> bool:
    """ "Google" matches "Google" and "Google DeepMind"; "DeepMind" matches "Google DeepMind"."""
    words = {w.casefold() for w in re.findall(r"[\w-]+", maker)}
    return all(w.casefold() in words for w in re.findall(r"[\w-]+", named))


def _concept_rules(data: ModelData, terms: dict[str, str]) -> dict[str, tuple[str, Rule]]:
    """Lower-case header or label text -> (glossary id, rule), singular and plural."""
    found: dict[str, tuple[str, Rule]] = {}
    for gid, rule in data.classes.items():
        term = terms.get(gid)
        if term:
            for form in (term, f"{term}s"):
                found[form.casefold()] = (gid, rule)
    return found


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _table_claims(
    prose: list[tuple[int, str]], data: ModelData, terms: dict[str, str]
) -> Iterator[Claim]:
    concepts = _concept_rules(data, terms)
    pattern, by_name = _name_pattern(data)
    header: list[str] | None = None
    for number, line in prose:
        if not line.lstrip().startswith("|"):
            header = None
            continue
        cells = _cells(line)
        if header is None:
            header = cells
            continue
        if not cells or cells[0].strip("* ").casefold() != "examples":
            continue
        for title, cell in zip(header[1:], cells[1:], strict=False):
            concept = concepts.get(title.strip("* ").casefold())
            if concept is None:
                continue
            rule = concept[1]
            for match in pattern.finditer(cell):
                for problem in rule.problems(by_name[match.group(1)]):
                    yield Claim(
                        number,
                        f"the table lists {match.group(1)} as an example of '{title}', but "
                        f"data/models.yml says it {problem}",
                    )


_NODE = re.compile(r"^\s*(\w+)\s*(?:\(\[|\[\(|\[|\(|\{)\s*\"?`?(.*?)`?\"?\s*(?:\]\)|\)\]|\]|\)|\})")
_EDGE = re.compile(r"^\s*(\w+)\s*-[-.]*>\s*(?:\|[^|]*\|\s*)?(\w+)\s*$")


def _mermaid_claims(
    fences: list[tuple[int, list[str]]], data: ModelData, terms: dict[str, str]
) -> Iterator[Claim]:
    concepts = _concept_rules(data, terms)
    by_name = {name.casefold(): m for m in data.models for name in m.names}
    for start, body in fences:
        models: dict[str, tuple[Model, int]] = {}
        concept_nodes: dict[str, tuple[str, Rule]] = {}
        edges: list[tuple[str, str]] = []
        for offset, line in enumerate(body):
            node = _NODE.match(line)
            if node:
                label = node.group(2).strip()
                if label.casefold() in by_name:
                    models[node.group(1)] = (by_name[label.casefold()], start + offset)
                head = re.split(r"[:(]", label)[0].strip().casefold()
                if head in concepts:
                    concept_nodes[node.group(1)] = (label, concepts[head][1])
            edge = _EDGE.match(line)
            if edge:
                edges.append((edge.group(1), edge.group(2)))
        if not models or not concept_nodes:
            continue
        for node_id, (model, line_no) in models.items():
            linked = {b for a, b in edges if a == node_id} | {a for a, b in edges if b == node_id}
            for concept_id, (label, rule) in concept_nodes.items():
                fits = not rule.problems(model)
                if concept_id in linked and not fits:
                    why = "; ".join(rule.problems(model))
                    yield Claim(
                        line_no,
                        f"the diagram joins {model.name} to '{label}', but data/models.yml "
                        f"says it {why}",
                    )
                elif concept_id not in linked and fits:
                    yield Claim(
                        line_no,
                        f"the diagram leaves {model.name} out of '{label}', but by "
                        "data/models.yml it belongs there",
                    )


def check_page(text: str, data: ModelData, terms: dict[str, str]) -> list[Claim]:
    """Every contradiction between a page's Markdown and the model data.

    ``terms`` maps glossary ids to their terms (for table headers and diagram labels).
    """
    prose, fences = _prose_and_mermaid(text)
    claims = [
        *_year_and_maker_claims(prose, data),
        *_table_claims(prose, data, terms),
        *_mermaid_claims(fences, data, terms),
    ]
    return sorted(claims, key=lambda c: c.line)
