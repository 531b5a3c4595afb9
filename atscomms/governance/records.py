"""The approvals file: a reviewable YAML list of sign-offs at the workspace root.

::

    # yaml-language-server: $schema=https://atscomms.dev/schemas/approvals.schema.json
    approvals:
      - template: offer-extended
        version: "85e38261e0ee462a"
        role: legal
        by: priya.shah@acme.example
        at: "2026-11-03T10:15:00Z"

The file has no ``kind:`` (the workspace loader skips it); it is loaded here
with the same safe loader, so a malformed file becomes findings with
positions. :func:`append` edits the text (never re-dumps it), so comments and
formatting survive.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from atscomms.findings import Finding
from atscomms.loading.document import Document
from atscomms.model.workspace import Workspace

DEFAULT_FILE = "approvals.yaml"
HEADER = (
    "# yaml-language-server: $schema=https://atscomms.dev/schemas/approvals.schema.json\n"
    "#\n"
    "# Sign-offs of template versions. Add entries with `atscomms approve TEMPLATE --role R`\n"
    "# and commit them yourself: an approval counts only when the commit that adds it is\n"
    "# authored by a member of the role (see governance.yaml).\n"
)
_PLAIN = re.compile(r"^[a-z][a-z0-9._@+-]*$")


@dataclass(frozen=True, slots=True)
class Record:
    """One approval entry as written in the file."""

    template: str
    version: str
    role: str
    by: str
    at: str | None = None
    note: str | None = None
    index: int = -1  # position in the `approvals` list

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.template, self.version, self.role, self.by)


@dataclass(slots=True)
class ApprovalsFile:
    path: str
    exists: bool
    doc: Document | None = None
    records: list[Record] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def file_path(ws: Workspace) -> str:
    """Workspace-relative path of the approvals file (governance ``approvals_file``)."""
    if ws.governance is not None:
        value = ws.governance.data.get("approvals_file")
        if isinstance(value, str) and value.strip():
            value = value.strip()
            return value[2:] if value.startswith("./") else value
    return DEFAULT_FILE


def parse(path: str, raw: bytes | None, *, validate: bool = True) -> ApprovalsFile:
    """Load the approvals file from bytes (None: the file does not exist)."""
    from atscomms.loading.yamlsafe import load

    if raw is None:
        return ApprovalsFile(path, exists=False)
    out = ApprovalsFile(path, exists=True)
    doc = load(path, raw)
    out.doc = doc
    out.findings.extend(doc.findings)
    if not doc.ok:
        return out
    if validate:
        from atscomms.loading.validate import validate as schema_validate

        out.findings.extend(schema_validate(doc, "approvals"))
    out.records = records_of(doc.data)
    return out


def records_of(data: Any) -> list[Record]:
    """Well-formed entries of parsed approvals data (malformed ones are skipped)."""
    items = data.get("approvals") if isinstance(data, dict) else None
    out: list[Record] = []
    for i, item in enumerate(items if isinstance(items, list) else []):
        if not isinstance(item, dict):
            continue
        values = [item.get(k) for k in ("template", "version", "role", "by")]
        if not all(isinstance(v, str) and v for v in values):
            continue
        template, version, role, by = values
        at, note = item.get("at"), item.get("note")
        out.append(
            Record(
                template,
                version,
                role,
                by.lower(),
                at if isinstance(at, str) else None,
                note if isinstance(note, str) else None,
                i,
            )
        )
    return out


def read(ws: Workspace) -> ApprovalsFile:
    """The approvals file as the workspace sees it (worktree or ``--rev``)."""
    path = file_path(ws)
    try:
        raw = ws.source.read(path) if ws.source.exists(path) else None
    except OSError:
        raw = None
    return parse(path, raw)


def _scalar(value: str) -> str:
    if _PLAIN.match(value) and value not in ("null", "true", "false", "yes", "no", "on", "off"):
        return value
    return json.dumps(value, ensure_ascii=False)


def entry_text(record: Record, indent: int) -> str:
    """One list entry; ``version`` and ``at`` always quoted (a hex digest may look numeric)."""
    pad = " " * indent
    lines = [f"{pad}- template: {_scalar(record.template)}"]
    lines.append(f"{pad}  version: {json.dumps(record.version)}")
    lines.append(f"{pad}  role: {_scalar(record.role)}")
    lines.append(f"{pad}  by: {_scalar(record.by)}")
    if record.at is not None:
        lines.append(f"{pad}  at: {json.dumps(record.at)}")
    if record.note is not None:
        lines.append(f"{pad}  note: {json.dumps(record.note, ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


def append(text: str | None, record: Record) -> str:
    """The approvals file text with ``record`` appended; comments and layout kept.

    Raises ValueError when the text cannot be edited safely (not a mapping with
    a block list ``approvals:``)."""
    if text is None or not text.strip():
        return HEADER + "approvals:\n" + entry_text(record, 2)
    from atscomms.loading.yamlsafe import load

    doc = load(DEFAULT_FILE, text.encode("utf-8"))
    if not doc.ok or not isinstance(doc.data, dict):
        raise ValueError("the approvals file is not valid YAML; fix it first")
    if not text.endswith("\n"):
        text += "\n"
    items = doc.data.get("approvals")
    if "approvals" not in doc.data:
        return text + "approvals:\n" + entry_text(record, 2)
    if items is None or items == []:
        # `approvals:` or `approvals: []`: replace the value with a block list.
        key = doc.keys[("approvals",)]
        line_end = text.find("\n", key[1])
        line_end = len(text) if line_end < 0 else line_end
        line = text[key[0] : line_end]
        comment = ""
        match = re.search(r"\s#.*$", line)
        if match:
            comment = match.group(0)
        indent = key[3] + 2
        head = text[: key[0]] + "approvals:" + comment + "\n"
        return head + entry_text(record, indent) + text[line_end + 1 :]
    if not isinstance(items, list):
        raise ValueError("`approvals` in the approvals file is not a list")
    last = len(items) - 1
    mark = doc.values.get(("approvals", last))
    if mark is None or doc.scalar_style(("approvals",)) is not None:
        raise ValueError("the approvals list is not a block list; edit it by hand")
    if text[doc.values[("approvals",)][0]] == "[":
        raise ValueError("the approvals list is written in flow style (`[...]`); edit it by hand")
    line_start = text.rfind("\n", 0, mark[0]) + 1
    dash = text.rfind("-", line_start, mark[0])
    indent = dash - line_start if dash >= 0 else 2
    # The last item ends with its last line indented deeper than its dash.
    end = text.find("\n", mark[0])
    end = len(text) if end < 0 else end + 1
    pos = end
    while pos < len(text):
        nl = text.find("\n", pos)
        line_end = len(text) if nl < 0 else nl + 1
        line = text[pos:line_end]
        if line.strip():
            if len(line) - len(line.lstrip(" ")) <= indent:
                break
            end = line_end
        pos = line_end
    body = text[:end]
    if not body.endswith("\n"):
        body += "\n"
    return body + entry_text(record, indent) + text[end:]
