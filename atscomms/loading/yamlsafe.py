"""Safe YAML loading with positions and limits.

pyyaml's C parser composes a node graph (with marks) without constructing any
object; we then build plain data ourselves, which lets us

* keep the position of every key and value,
* report duplicate keys (pyyaml silently keeps the last one),
* measure alias expansion before expanding ("billion laughs"),
* refuse tags that would construct objects.

Limits are checked before the parser sees the bytes: size, NUL bytes,
UTF-8 validity and a cheap bound on nesting depth (libyaml's composer recurses
on the C stack and its flow-level tracking is quadratic, so a crafted file
could otherwise crash or hang the process).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from atscomms.checks.registry import finding
from atscomms.findings import Span
from atscomms.loading.document import Document, Path

_CLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"
_SAFE_SCALARS = {
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    _STR,
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:binary",
    "tag:yaml.org,2002:value",
}
_constructor = yaml.constructor.SafeConstructor()
_LEADING_ZERO = re.compile(r"^[-+]?0[0-9_]+$")
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"


@dataclass(frozen=True, slots=True)
class Limits:
    max_file_bytes: int = 1024 * 1024
    max_depth: int = 64
    max_expanded_nodes: int = 100_000


DEFAULT_LIMITS = Limits()


def _position(data: bytes | str, index: int) -> Span:
    """1-based line/column of a character (or byte) index."""
    nl = b"\n" if isinstance(data, bytes) else "\n"
    line = data.count(nl, 0, index) + 1
    start = data.rfind(nl, 0, index) + 1
    prefix = data[start:index]
    if isinstance(prefix, bytes):
        prefix = prefix.decode("utf-8", "replace")
    return Span(line, len(prefix) + 1)


def _mark_span(mark: Any) -> Span:
    return Span(mark.line + 1, mark.column + 1)


def decode(path: str, raw: bytes, limits: Limits = DEFAULT_LIMITS) -> tuple[str | None, list]:
    """Bytes -> text, or the finding that says why not."""
    if len(raw) > limits.max_file_bytes:
        return None, [
            finding(
                "S005",
                path,
                Span(),
                f"file is {len(raw):,} bytes; the limit is {limits.max_file_bytes:,}",
                hint="Host large content elsewhere, or raise limits.max_file_bytes "
                "in atscomms.yaml.",
            )
        ]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [
            finding(
                "S006",
                path,
                Span(),
                "file is UTF-16; atscomms reads UTF-8",
                hint="Save the file as UTF-8.",
            )
        ]
    nul = raw.find(b"\x00")
    if nul >= 0:
        return None, [
            finding(
                "S007",
                path,
                _position(raw, nul),
                "file contains NUL bytes: it is binary, not YAML",
                hint="Replace it with the YAML source, or exclude it from the workspace.",
            )
        ]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [
            finding(
                "S006",
                path,
                _position(raw, exc.start),
                f"invalid UTF-8 byte 0x{raw[exc.start]:02x}",
                hint="Save the file as UTF-8 (it may be Latin-1 or Windows-1252).",
            )
        ]
    return text, []


_FLOW = re.compile(r"[\[\]{}]")


def _depth_problem(path: str, text: str, limits: Limits) -> list:
    """Bound nesting depth before libyaml sees the text (see module doc)."""
    flow_chars = text.count("[") + text.count("{")
    block_bound = text.count("- ") + text.count("-\n") + text.count(":") + text.count("? ")
    if flow_chars + block_bound <= limits.max_depth:
        return []
    if flow_chars > limits.max_depth:
        depth = 0
        for m in _FLOW.finditer(text):
            depth += 1 if m.group() in "[{" else -1
            if depth > limits.max_depth:
                return [_too_deep(path, _position(text, m.start()), limits)]
            depth = max(depth, 0)
    if block_bound > limits.max_depth:
        depth = 0
        try:
            for event in yaml.parse(text, Loader=_CLoader):
                if isinstance(event, yaml.CollectionStartEvent):
                    depth += 1
                    if depth > limits.max_depth:
                        return [_too_deep(path, _mark_span(event.start_mark), limits)]
                elif isinstance(event, yaml.CollectionEndEvent):
                    depth -= 1
        except yaml.YAMLError:
            return []  # the composer will report the syntax error with its position
    return []


def _too_deep(path: str, span: Span, limits: Limits):
    return finding(
        "S004",
        path,
        span,
        f"document nests deeper than {limits.max_depth} levels",
        hint="Flatten the structure.",
    )


def _syntax_finding(path: str, text: str, exc: yaml.YAMLError):
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    span = _mark_span(mark) if mark is not None else Span()
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    if "expected a single document" in f"{context} {problem}":
        return finding(
            "S010",
            path,
            span,
            "file holds more than one YAML document",
            hint="Move each document (after `---`) to its own file.",
        )
    if "'\\t'" in problem or (mark is not None and text[mark.index : mark.index + 1] == "\t"):
        return finding(
            "S008",
            path,
            span,
            "tab character used for indentation",
            hint="Indent with spaces; YAML does not allow tabs.",
        )
    message = f"{context}, {problem}" if context else problem
    return finding("S001", path, span, f"invalid YAML: {message}", hint="Fix the syntax here.")


def load(path: str, raw: bytes, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Load one file. Problems become findings on the returned document."""
    text, problems = decode(path, raw, limits)
    doc = Document(path=path, text=text or "")
    if text is None:
        doc.findings.extend(problems)
        return doc
    problems = _depth_problem(path, text, limits)
    if problems:
        doc.findings.extend(problems)
        return doc
    try:
        root = yaml.compose(text, Loader=_CLoader)
    except yaml.YAMLError as exc:
        doc.findings.append(_syntax_finding(path, text, exc))
        return doc
    except RecursionError:
        doc.findings.append(_too_deep(path, Span(), limits))
        return doc
    if root is None:
        doc.findings.append(
            finding("S009", path, Span(), "file is empty", hint="Restore its content or delete it.")
        )
        return doc
    builder = _Builder(doc, limits)
    if not builder.check_expansion(root):
        return doc
    data = builder.build(root, ())
    if not isinstance(data, dict):
        if not doc.findings:
            doc.findings.append(
                finding(
                    "S012",
                    path,
                    _mark_span(root.start_mark),
                    f"top level is a {_type_name(data)}, not a mapping",
                    hint="Every workspace file is a mapping starting with `kind:`.",
                )
            )
        return doc
    doc.data = data
    return doc


def _type_name(value: Any) -> str:
    return {list: "list", str: "string", bool: "boolean", int: "number", float: "number"}.get(
        type(value), "null" if value is None else type(value).__name__
    )


def _record(table: dict, path: Path, node: yaml.Node) -> None:
    s, e = node.start_mark, node.end_mark
    table[path] = (
        s.index,
        e.index,
        s.line,
        s.column,
        e.line,
        e.column,
        getattr(node, "style", None),
    )


class _Builder:
    def __init__(self, doc: Document, limits: Limits) -> None:
        self.doc = doc
        self.limits = limits

    def check_expansion(self, root: yaml.Node) -> bool:
        """Count the nodes aliases would expand to, without expanding them."""
        sizes: dict[int, int] = {}
        seen_alias_targets: dict[int, yaml.Node] = {}
        stack: list[tuple[yaml.Node, bool]] = [(root, False)]
        while stack:
            node, done = stack.pop()
            key = id(node)
            if key in sizes and not done:
                seen_alias_targets[key] = node
                continue
            if isinstance(node, yaml.ScalarNode):
                sizes[key] = 1
                continue
            children: list[yaml.Node] = (
                [n for pair in node.value for n in pair]
                if isinstance(node, yaml.MappingNode)
                else list(node.value)
            )
            if not done:
                sizes.setdefault(key, 0)
                stack.append((node, True))
                stack.extend((c, False) for c in children if id(c) not in sizes)
                continue
            total = 1 + sum(sizes.get(id(c), 1) for c in children)
            sizes[key] = total
            if total > self.limits.max_expanded_nodes:
                self.doc.findings.append(
                    finding(
                        "S003",
                        self.doc.path,
                        _mark_span(node.start_mark),
                        f"aliases expand this value to {total:,} nodes "
                        f"(limit {self.limits.max_expanded_nodes:,})",
                        hint="Write the values out instead of nesting aliases.",
                    )
                )
                return False
        return True

    def build(self, node: yaml.Node, path: Path) -> Any:
        _record(self.doc._values, path, node)
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                self.bad_tag(node)
            return [self.build(child, (*path, i)) for i, child in enumerate(node.value)]
        if node.tag != _MAP:
            self.bad_tag(node)
        return self.mapping(node, path)

    def mapping(self, node: yaml.MappingNode, path: Path) -> dict:
        result: dict[str, Any] = {}
        first_seen: dict[str, yaml.Node] = {}
        merged: list[yaml.Node] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                merged.extend(
                    value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                )
                continue
            if isinstance(key_node, yaml.ScalarNode):
                key = key_node.value
            else:
                key = self.doc.text[key_node.start_mark.index : key_node.end_mark.index]
            if key in first_seen:
                first = first_seen[key].start_mark
                self.doc.findings.append(
                    finding(
                        "S002",
                        self.doc.path,
                        _mark_span(key_node.start_mark),
                        f"duplicate key {key!r} (first defined at line {first.line + 1}); "
                        "YAML would silently keep only this one",
                        hint="Remove one of the two keys.",
                    )
                )
            first_seen[key] = key_node
            _record(self.doc._keys, (*path, key), key_node)
            result[key] = self.build(value_node, (*path, key))
        for source in merged:
            if not isinstance(source, yaml.MappingNode):
                self.doc.findings.append(
                    finding(
                        "S001",
                        self.doc.path,
                        _mark_span(source.start_mark),
                        "invalid YAML: a merge key `<<` needs a mapping or a list of mappings",
                    )
                )
                continue
            for key, value in self.mapping(source, path).items():
                result.setdefault(key, value)
        return result

    def scalar(self, node: yaml.ScalarNode) -> Any:
        tag = node.tag
        if tag == _STR:
            return node.value
        if tag not in _SAFE_SCALARS:
            self.bad_tag(node)
            return node.value
        if tag == "tag:yaml.org,2002:timestamp":
            return node.value  # dates stay text: schemas check their format
        if not node.style and (
            (tag == "tag:yaml.org,2002:bool" and node.value.lower() not in ("true", "false"))
            or (tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float") and ":" in node.value)
        ):
            return node.value  # YAML 1.2: `no`, `on`, `yes` and `19:00` are text
        if tag == "tag:yaml.org,2002:int" and _LEADING_ZERO.match(node.value):
            return int(node.value.replace("_", ""), 10)  # YAML 1.2: 012 is twelve, not octal
        construct = _constructor.yaml_constructors.get(tag)
        if construct is None:
            return node.value
        try:
            return construct(_constructor, node)
        except (yaml.YAMLError, ValueError, TypeError):
            return node.value

    def bad_tag(self, node: yaml.Node) -> None:
        self.doc.findings.append(
            finding(
                "S011",
                self.doc.path,
                _mark_span(node.start_mark),
                f"unsupported YAML tag {node.tag!r}",
                hint="Remove the tag: workspace files are plain data.",
            )
        )
