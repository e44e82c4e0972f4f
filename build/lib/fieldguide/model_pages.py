"""Render ``data/models.yml`` as Markdown: the timeline, the overlap figure, the model table.

``hooks/models.py`` puts the result where a page holds a marker, before Markdown is
rendered, so the output goes through the same extensions as hand-written text: term links
and tooltips, the Mermaid pipeline for the figure, and MkDocs' link and anchor checks.

Every function is pure (data in, Markdown out), so tests call them without a build.
Citations are written as ``#source-<id>`` links, like the rest of the guide; the hook adds
those ids to the page's Sources block.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape

from fieldguide.anchors import source_anchor
from fieldguide.models import MONTHS, Milestone, Model, ModelData
from fieldguide.sources import Source

WEIGHT_WORDS = {"open": "open weights", "research": "weights for researchers", "closed": "closed"}
# Names per group drawn in the overlap figure; the text version and the table list them all.
FIGURE_NAMES = 6

# The three concepts the comparison sets side by side, as (glossary id, fact on Model).
CONCEPTS = (
    ("generative-ai", "generative"),
    ("large-language-model", "llm"),
    ("foundation-model", "foundation"),
)


@dataclass(frozen=True)
class Region:
    """One area of the overlap figure: the models that have exactly these concepts."""

    key: tuple[bool, bool, bool]
    label: str
    models: tuple[Model, ...]


# --- Small helpers --------------------------------------------------------------------


def month_year(entry: Milestone) -> str:
    return f"{MONTHS[entry.month - 1]} {entry.year}" if entry.month else str(entry.year)


def _surname(person: str) -> str:
    return person.split()[-1] if person.split() else person


def short_citation(source: Source) -> str:
    """'Devlin et al., 2018' style text for a source, from its author and date fields."""
    author = re.sub(r"\s*\(.*?\)", "", source.author).strip()
    if "et al" in author:
        who = f"{_surname(author.split(' et al')[0])} et al."
    elif re.search(r"\bTeam\b", author):
        who = author.split(",")[0].strip()
    else:
        people = [p for p in re.split(r",\s*|\s+and\s+", author) if p.strip()]
        if len(people) == 2:
            who = f"{_surname(people[0])} and {_surname(people[1])}"
        elif len(people) > 2:
            who = f"{_surname(people[0])} et al."
        else:
            who = author
    year = source.year
    if year is None and source.date:
        found = re.search(r"\b(\d{4})\b", source.date)
        year = int(found.group(1)) if found else None
    return f"{who}, {year}" if year else who


def _cite_label(source: Source) -> str:
    # A code repository or model card has no author-year form; say what it is instead.
    # Only a repository can hold code and weights: a maker's web documentation cannot.
    if source.kind == "documentation":
        if "model card" in source.title.lower():
            return "model card"
        return "code and weights" if "github.com/" in (source.url or "") else "documentation"
    return short_citation(source)


def _cite(ids: Iterable[str], sources: Mapping[str, Source]) -> str:
    return "; ".join(f"[{_cite_label(sources[i])}](#{source_anchor(i)})" for i in ids)


def cited_ids(data: ModelData, entries: Iterable[Milestone] | None = None) -> list[str]:
    """Every source id the rendered entries cite, in first-use order (for the Sources block)."""
    chosen = entries if entries is not None else (*data.models, *data.milestones)
    return list(dict.fromkeys(sid for entry in chosen for sid in entry.sources))


def _list(words: Sequence[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


def generates_text(model: Model, data: ModelData) -> str:
    if not model.generates:
        return "nothing new (it labels, matches or describes its input)"
    return _list([data.modalities[m] for m in model.generates])


# --- The timeline ---------------------------------------------------------------------


def _facts(model: Model, data: ModelData) -> list[str]:
    facts = [f"generates {generates_text(model, data)}" if model.generates else "not generative"]
    if model.llm:
        facts.append("LLM")
    if model.foundation:
        facts.append("foundation model")
    facts.append(WEIGHT_WORDS[model.weights])
    return facts


def _entry(entry: Milestone, data: ModelData, sources: Mapping[str, Source]) -> str:
    kind = "model" if isinstance(entry, Model) else "idea"
    who = f" · {escape(entry.maker)}" if isinstance(entry, Model) else " · idea"
    # The link says where it goes: fifty "Read more" links fail Lighthouse's link-text
    # audit (SEO) and tell a screen reader's link list nothing.
    more = f" [{entry.name} in the guide](/{entry.see})." if entry.see else ""
    lines = [
        f'<li class="fg-timeline__entry fg-timeline__entry--{kind}" id="{entry.id}" '
        'markdown="block">',
        f'<p class="fg-timeline__meta"><time datetime="{entry.date}">{month_year(entry)}'
        f"</time>{who}</p>",
        "",
        f"**{entry.name}**: {entry.summary} ({_cite(entry.sources, sources)}){more}",
        "",
    ]
    if isinstance(entry, Model):
        badges = "".join(
            f'<span class="fg-timeline__fact">{escape(f)}</span>' for f in _facts(entry, data)
        )
        lines.append(f'<p class="fg-timeline__facts">{badges}</p>')
    lines.append("</li>")
    return "\n".join(lines)


def timeline_markdown(
    data: ModelData, sources: Mapping[str, Source], first: int = 2013, last: int = 2026
) -> str:
    """Every model and milestone from ``first`` to ``last``, one section per year."""
    entries = sorted(
        (e for e in (*data.models, *data.milestones) if first <= e.year <= last),
        key=lambda e: (e.year, e.month or 0, isinstance(e, Model), e.name.casefold()),
    )
    out = ['<div class="fg-timeline" markdown>', ""]
    for year in range(first, last + 1):
        in_year = [e for e in entries if e.year == year]
        out += [f"## {year} {{ #year-{year} }}", ""]
        if not in_year:
            out += ["Nothing in the guide's data for this year yet.", ""]
            continue
        out.append(f'<ol class="fg-timeline__year" aria-label="{year}" markdown>')
        out += [_entry(e, data, sources) for e in in_year]
        out += ["</ol>", ""]
    out += ["</div>", ""]
    return "\n".join(out)


# --- The overlap figure ---------------------------------------------------------------


def regions(data: ModelData, concepts: Mapping[str, str]) -> list[Region]:
    """Group the models by which of the three concepts they belong to (non-empty groups).

    ``concepts`` maps each glossary id in ``CONCEPTS`` to its term, e.g. "foundation model".
    Groups come largest overlap first: all three, then two, then one, then none.
    """
    names = [concepts[gid] for gid, _ in CONCEPTS]

    def key_of(model: Model) -> tuple[bool, bool, bool]:
        a, b, c = (bool(getattr(model, fact)) for _, fact in CONCEPTS)
        return (a, b, c)

    found: list[Region] = []
    for key in sorted(
        {key_of(m) for m in data.models}, key=lambda k: (-sum(k), [not x for x in k])
    ):
        inside = [n for n, on in zip(names, key, strict=True) if on]
        if len(inside) == len(CONCEPTS):
            label = "All three"
        elif not inside:
            label = "None of the three"
        elif len(inside) == 1:
            label = f"{inside[0]} only"
        else:
            label = " and ".join(inside)
        label = label[:1].upper() + label[1:]
        members = tuple(m for m in data.models if key_of(m) == key)
        found.append(Region(key=key, label=label, models=members))
    return found


def _node_text(text: str) -> str:
    """Mermaid label text: quotes would end the label, so use typographic ones."""
    return text.replace('"', "'")


def _figure_names(models: Sequence[Model]) -> str:
    shown = [m.name for m in models[:FIGURE_NAMES]]
    rest = len(models) - len(shown)
    return ", ".join(shown) + (f" and {rest} more" if rest else "")


def overlap_markdown(data: ModelData, concepts: Mapping[str, str]) -> str:
    """A Mermaid figure (concepts in one column, groups of models in the next) and its text.

    Left to right, because then the figure is two boxes wide however many groups there are,
    which keeps its labels legible on a phone; top-down would put every group side by side.

    ``concepts`` maps the glossary ids in ``CONCEPTS`` to their terms. The figure names up
    to ``FIGURE_NAMES`` models per group, so that labels stay legible on a phone; the text
    version below it names every model.
    """
    groups = regions(data, concepts)
    drawn = [(n, g) for n, g in enumerate(groups) if any(g.key)]
    lines = [
        '<figure class="fg-diagram" markdown>',
        "",
        "```mermaid",
        "flowchart LR",
        "  accTitle: Which example models are generative AI, LLMs and foundation models",
        "  accDescr: "
        + " ".join(
            f"{g.label}: {len(g.models)} models, for example {_figure_names(g.models)}."
            for _, g in drawn
        ),
    ]
    for n, (gid, _) in enumerate(CONCEPTS):
        term = concepts[gid]
        lines.append(f'  C{n}(["{_node_text(term[:1].upper() + term[1:])}"])')
    for n, group in drawn:
        text = f"**{group.label}** ({len(group.models)})\n{_figure_names(group.models)}"
        lines.append(f'  G{n}["`{_node_text(text)}`"]')
        for c, on in enumerate(group.key):
            if on:
                lines.append(f"  C{c} --> G{n}")
    lines += [
        "```",
        "",
        "<figcaption markdown>**Figure:** each concept (rounded box) points to the groups of "
        "example models it includes; a group reached from two or three concepts lies in their "
        "overlap. Drawn from the guide's model data.</figcaption>",
        "</figure>",
        "",
        '??? info "Text version of this diagram"',
    ]
    for group in groups:
        names = ", ".join(m.name for m in group.models)
        lines.append(f"    - **{group.label}** ({len(group.models)}): {names}.")
    lines.append("")
    return "\n".join(lines)


# --- The model table ------------------------------------------------------------------


def models_table_markdown(data: ModelData, timeline_page: str = "timeline.md") -> str:
    """One row per model: year, what it generates, and the three yes/no facts."""
    yes_no = {True: "yes", False: "no"}
    rows = [
        '<div class="fg-model-table" markdown>',
        "",
        "| Model | Year | Maker | Generates | LLM | Foundation model | Weights |",
        "|---|---|---|---|---|---|---|",
    ]
    for m in data.models:
        generates = _list([data.modalities[x] for x in m.generates]) if m.generates else "—"
        rows.append(
            f"| [{m.name}](/{timeline_page}#{m.id}) | {m.year} | {m.maker} | {generates} | "
            f"{yes_no[m.llm]} | {yes_no[m.foundation]} | {m.weights} |"
        )
    rows += ["", "</div>", ""]
    return "\n".join(rows)
