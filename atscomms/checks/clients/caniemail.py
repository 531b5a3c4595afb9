"""The caniemail support data: a pinned, compact copy shipped in ``data/caniemail.json``.

``scripts/update_caniemail.py`` converts the ``caniemail.json`` of the npm package
``caniemail`` with :func:`compact`; lint only ever reads the shipped copy (never the
network). Licence: MIT, see ``data/LICENSE.caniemail``.

The newest result of a platform is the **last entry in file order** of its version
map. Version keys mix years, dates and app versions (``"2019"``, ``"2019-02"``,
``"16.80"``), so sorting them as text would pick the wrong one.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

#: Platforms that render with Word and obey ``<!--[if mso]>`` conditional comments.
MSO_PLATFORMS = frozenset({("outlook", "windows"), ("outlook", "windows-mail")})

_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")


def newest(versions: dict[str, str]) -> tuple[str, str] | None:
    """``(version, result)`` of the last entry in file order; None when there is none."""
    last = None
    for item in versions.items():
        last = item
    return last


def compact(raw: dict[str, Any], *, package: str = "", sha256: str = "") -> dict[str, Any]:
    """The npm package's ``caniemail.json`` reduced to what lint needs: per feature its
    title, url, notes and, per client platform, only the newest ``[version, result]``."""
    features: dict[str, Any] = {}
    for item in raw["data"]:
        stats: dict[str, dict[str, list[str]]] = {}
        for family, platforms in (item.get("stats") or {}).items():
            kept = {}
            for platform, versions in (platforms or {}).items():
                last = newest(versions or {})
                if last is not None:
                    kept[platform] = [last[0], last[1]]
            if kept:
                stats[family] = kept
        features[item["slug"]] = {
            "title": item.get("title") or item["slug"],
            "category": item.get("category"),
            "url": item.get("url"),
            "note": item.get("notes") or None,
            "notes": item.get("notes_by_num") or {},
            "stats": stats,
        }
    nice = raw.get("nicenames") or {}
    return {
        "source": {
            "package": package,
            "api_version": raw.get("api_version"),
            "last_update_date": raw.get("last_update_date"),
            "sha256": sha256,
            "license": "MIT (see LICENSE.caniemail)",
        },
        "families": nice.get("family") or {},
        "platforms": nice.get("platform") or {},
        "features": features,
    }


def dumps(data: dict[str, Any]) -> str:
    """Stable JSON with one feature per line (small diffs when the data is updated)."""
    head = {k: v for k, v in data.items() if k != "features"}
    lines = [json.dumps(head, ensure_ascii=False, separators=(",", ":"))[:-1] + ',"features":{']
    items = list(data["features"].items())
    for i, (slug, feature) in enumerate(items):
        comma = "," if i < len(items) - 1 else ""
        body = json.dumps(feature, ensure_ascii=False, separators=(",", ":"))
        lines.append(f"{json.dumps(slug)}:{body}{comma}")
    lines.append("}}")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True, slots=True)
class Issue:
    """One client platform that does not (fully) support a feature."""

    family: str
    platform: str
    version: str
    support: str  # "n" | "a"
    notes: tuple[str, ...]  # note numbers as written in the data ("1", "2")

    @property
    def mso(self) -> bool:
        return (self.family, self.platform) in MSO_PLATFORMS


class Database:
    def __init__(self, data: dict[str, Any]):
        self.data = data
        self.features: dict[str, Any] = data["features"]
        self.families: dict[str, str] = dict(data.get("families") or {})
        self.platform_names: dict[str, str] = dict(data.get("platforms") or {})
        for feature in self.features.values():  # families missing from the nicenames
            for family in feature["stats"]:
                self.families.setdefault(family, family)
        self._platforms = {
            (f, p) for feat in self.features.values() for f, ps in feat["stats"].items() for p in ps
        }
        self._issues: dict[tuple[str, ...], dict[str, tuple[Issue, ...]]] = {}
        self._notes: dict[tuple[str, str], str | None] = {}

    @property
    def version(self) -> str:
        src = self.data.get("source") or {}
        return f"{src.get('package') or 'caniemail'} ({src.get('last_update_date') or '?'})"

    def platforms(self) -> set[tuple[str, str]]:
        return set(self._platforms)

    def selectors(self) -> list[str]:
        """Every valid ``clients:`` entry: families and ``family.platform`` pairs."""
        return sorted(self.families) + sorted(f"{f}.{p}" for f, p in self.platforms())

    def known(self, selector: str) -> bool:
        family, _, platform = selector.partition(".")
        if not platform:
            return family in self.families
        return (family, platform) in self._platforms

    def issues(self, selectors: tuple[str, ...]) -> dict[str, tuple[Issue, ...]]:
        """slug -> platforms of the selected clients whose newest result is ``n`` or ``a``.
        Computed once per client selection (the precompiled index lint uses)."""
        cached = self._issues.get(selectors)
        if cached is not None:
            return cached
        wanted = [s.partition(".")[::2] for s in selectors if self.known(s)]
        out: dict[str, tuple[Issue, ...]] = {}
        for slug, feature in self.features.items():
            found = []
            for family, platforms in feature["stats"].items():
                for platform, (version, result) in platforms.items():
                    if not any(f == family and p in ("", platform) for f, p in wanted):
                        continue
                    support, *refs = result.split()
                    if support in ("n", "a"):
                        notes = tuple(r.lstrip("#") for r in refs)
                        found.append(Issue(family, platform, version, support, notes))
            if found:
                out[slug] = tuple(found)
        self._issues[selectors] = out
        return out

    def title(self, slug: str) -> str:
        return self.features[slug]["title"]

    def url(self, slug: str) -> str:
        return self.features[slug].get("url") or f"https://www.caniemail.com/features/{slug}/"

    def note_texts(self, slug: str, issues: tuple[Issue, ...] | list[Issue]) -> list[str]:
        """The notes the issues refer to (by number), each once, in order."""
        feature = self.features[slug]
        by_num: dict[str, str] = feature.get("notes") or {}
        out: list[str] = []
        for issue in issues:
            for num in issue.notes:
                text = by_num.get(num)
                if text and clean(text) not in out:
                    out.append(clean(text))
        return out

    def note(self, slug: str, num: str) -> str | None:
        key = (slug, num)
        if key not in self._notes:
            text = (self.features[slug].get("notes") or {}).get(num)
            self._notes[key] = clean(text) if text else None
        return self._notes[key]

    def client_label(self, issue: Issue) -> str:
        platform = self.platform_names.get(issue.platform, issue.platform)
        return f"{platform} {issue.version}"

    def family_name(self, family: str) -> str:
        return self.families.get(family, family)


def clean(text: str) -> str:
    """Markdown links as ``text (url)``, whitespace collapsed."""
    return " ".join(_LINK.sub(r"\1 (\2)", text).split())


_CODE = re.compile(r"`([^`]+)`")
_TAG_TOKEN = re.compile(r"<([a-zA-Z][\w-]*)")


@lru_cache(maxsize=4096)
def note_names(note: str) -> tuple[frozenset[str], frozenset[str]]:
    """Elements (`<ol>` -> ``ol``) and keywords (`overline`) a note names in backticks."""
    tags: set[str] = set()
    words: set[str] = set()
    for token in _CODE.findall(note):
        token = token.strip().lower()
        m = _TAG_TOKEN.match(token)
        if m:
            tags.add(m.group(1))
        elif re.fullmatch(r"[a-z-]+", token):
            words.add(token)
    return frozenset(tags), frozenset(words)


def note_applies(note: str, tags: frozenset[str], words: frozenset[str]) -> bool:
    """Whether a note can concern markup using ``tags`` (element names) and ``words``
    (keywords of attributes and style sheets).

    Notes name what they are about in backticks. A note is ruled out when it names
    elements (`<ol>`) and one of them is absent, or names only keywords (`overline`,
    `bcc`, `rem`) and none of them is present. A note without such names applies."""
    need_tags, any_words = note_names(note)
    if need_tags:
        return need_tags <= tags
    if any_words:
        return not any_words.isdisjoint(words)
    return True


@cache
def load() -> Database:
    """The shipped copy, parsed once per process."""
    text = resources.files(__package__).joinpath("data", "caniemail.json").read_text("utf-8")
    return Database(json.loads(text))
