"""The workspace style guide and the built-in packs it extends, compiled once.

A :class:`Guide` is built from the style guide's text and cached by it, so a
run (or a worker process) parses and compiles the rules once, whatever the
number of templates. Lexicons are built per language on first use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

from atscomms.checks.tone.lexicon import Entry, Lexicon
from atscomms.checks.tone.text import language, locale_matches
from atscomms.findings import Severity

PACKS = ("inclusive", "recruiting", "plain-language")
STYLE_TYPES = ("existence", "substitution", "occurrence", "metric", "capitalization", "consistency")
WORD_TYPES = ("existence", "substitution", "consistency")  # default: the default locale's language
METRICS = ("flesch_kincaid_grade", "sentence_length", "exclamations", "shouting")
PARTS = ("subject", "preheader", "body", "text", "sms")


@dataclass(frozen=True, slots=True)
class Group:
    categories: frozenset[str] | None = None
    hint: str | None = None


@dataclass
class PackData:
    code: str
    pack: str
    languages: tuple[str, ...]
    groups: list[Group] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    exceptions: frozenset[str] = frozenset()


def _load_yaml(name: str) -> Any:
    text = resources.files("atscomms.checks.tone").joinpath(name).read_text("utf-8")
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # our own data


@cache
def pack_rules() -> dict[str, PackData]:
    """Every built-in pack rule, by code, with its tokens."""
    out: dict[str, PackData] = {}
    for pack in PACKS:
        data = _load_yaml(f"packs/{pack}.yaml")
        langs = tuple(data.get("languages") or ("en",))
        for code, spec in (data.get("rules") or {}).items():
            rule = out[code] = PackData(code, pack, langs)
            rule.exceptions = frozenset(spec.get("except") or ())
            for g in spec.get("groups") or ():
                cats = g.get("categories")
                rule.groups.append(Group(frozenset(cats) if cats else None, g.get("hint")))
                n = len(rule.groups) - 1
                rule.entries += [Entry(code, t, n) for t in g.get("tokens") or ()]
            for key, fix in (("suggest", False), ("swap", True)):
                if spec.get(key):
                    rule.groups.append(Group())
                    n = len(rule.groups) - 1
                    rule.entries += [
                        Entry(code, t, n, str(r), extra="fix" if fix else "suggest")
                        for t, r in spec[key].items()
                    ]
    gd = _load_yaml("data/gender_decoder.yaml")
    coded = out.setdefault("T106", PackData("T106", "inclusive", ("en",)))
    if not coded.groups:
        coded.groups.append(Group())
    for side in ("masculine", "feminine"):
        coded.entries += [Entry("T106", f"{stem}*", 0, extra=side) for stem in gd[side]]
    return out


def _strings(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def _set(value: Any) -> frozenset[str] | None:
    items = _strings(value)
    return frozenset(items) if items else None


@dataclass
class StyleRule:
    """One rule of the style guide's ``rules:`` list."""

    index: int
    id: str
    type: str
    data: dict[str, Any]
    level: Severity | None = None
    categories: frozenset[str] | None = None
    channels: frozenset[str] | None = None
    scope: frozenset[str] | None = None
    locales: list[str] | None = None
    problem: str | None = None  # why the rule cannot run (T007)

    @property
    def key(self) -> str:
        return f"style:{self.index}"

    @property
    def ignorecase(self) -> bool:
        return self.data.get("ignorecase", True) is not False

    @property
    def message(self) -> str | None:
        value = self.data.get("message")
        return value if isinstance(value, str) else None

    @property
    def max(self) -> float | None:
        value = self.data.get("max")
        return value if isinstance(value, int | float) and not isinstance(value, bool) else None

    def applies_to_locale(self, locale: str, default_locale: str) -> bool:
        if self.locales is not None:
            return locale_matches(locale, self.locales)
        if self.type in WORD_TYPES:
            return language(locale) == language(default_locale)
        return True

    def entries(self) -> list[Entry]:
        d, key, case = self.data, self.key, not self.ignorecase
        if self.type == "existence":
            return [Entry(key, t, case=case, syntax=False) for t in _strings(d.get("tokens"))]
        if self.type == "substitution":
            swap = d.get("swap") if isinstance(d.get("swap"), dict) else {}
            return [
                Entry(key, str(t), replacement=str(r), case=case, syntax=False)
                for t, r in swap.items()
            ]
        if self.type == "capitalization":
            return [Entry(key, t, extra="cap", syntax=False) for t in _strings(d.get("tokens"))]
        if self.type == "consistency":
            either = d.get("either") if isinstance(d.get("either"), dict) else {}
            out = []
            for k, (a, b) in enumerate(either.items()):
                out += [
                    Entry(key, str(a), extra=(k, 0), case=case, syntax=False),
                    Entry(key, str(b), extra=(k, 1), case=case, syntax=False),
                ]
            return out
        return []


_NEEDS = {
    "existence": ("tokens", "a list of `tokens`"),
    "substitution": ("swap", "a `swap` mapping"),
    "occurrence": ("token", "a `token` and a `max`"),
    "metric": ("metric", "a `metric` and a `max`"),
    "capitalization": ("tokens", "a list of `tokens` (the spellings to enforce)"),
    "consistency": ("either", "an `either` mapping"),
}


def _parse_rule(index: int, raw: Any) -> StyleRule | None:
    if not isinstance(raw, dict):
        return None
    kind = str(raw.get("type", ""))
    rule = StyleRule(index, str(raw.get("id", f"rule-{index + 1}")), kind, raw)
    try:
        rule.level = Severity.parse(str(raw["level"])) if raw.get("level") else None
    except ValueError:
        rule.level = None
    rule.categories = _set(raw.get("categories"))
    rule.channels = _set(raw.get("channels"))
    rule.scope = _set(raw.get("scope"))
    if isinstance(raw.get("locales"), list):
        rule.locales = _strings(raw["locales"])
    if kind not in STYLE_TYPES:
        rule.problem = f"unknown rule type {kind!r}"
        return rule
    needed, what = _NEEDS[kind]
    if not raw.get(needed) or (kind in ("occurrence", "metric") and rule.max is None):
        rule.problem = f"a {kind} rule needs {what}"
    elif kind == "metric" and raw.get("metric") not in METRICS:
        expected = ", ".join(METRICS)
        rule.problem = f"unknown metric {raw.get('metric')!r} (expected one of {expected})"
    return rule


@dataclass
class Guide:
    """The compiled style guide."""

    default_locale: str
    packs: frozenset[str] = frozenset()
    disabled: frozenset[str] = frozenset()
    rules: list[StyleRule] = field(default_factory=list)
    readability: dict[str, float] = field(default_factory=dict)
    _lexicons: dict[str, Lexicon] = field(default_factory=dict)
    _enabled: dict[str, bool] = field(default_factory=dict)

    def is_disabled(self, code: str, name: str) -> bool:
        return any(code.startswith(d.upper()) or d.lower() == name for d in self.disabled)

    def pack_enabled(self, code: str) -> bool:
        on = self._enabled.get(code)
        if on is None:
            from atscomms.checks.registry import get

            rule = pack_rules().get(code)
            on = self._enabled[code] = (
                rule is not None
                and rule.pack in self.packs
                and not self.is_disabled(code, get(code).name)
            )
        return on

    def lexicon(self, lang: str) -> Lexicon:
        lex = self._lexicons.get(lang)
        if lex is None:
            entries: list[Entry] = []
            for code, rule in pack_rules().items():
                if lang in rule.languages and self.pack_enabled(code):
                    entries += rule.entries
            for r in self.rules:
                if r.problem is None and self._rule_language(r, lang):
                    entries += r.entries()
            lex = self._lexicons[lang] = Lexicon(entries)
        return lex

    def _rule_language(self, rule: StyleRule, lang: str) -> bool:
        if rule.locales is not None:
            return any(w == "*" or language(w) == lang for w in rule.locales)
        return rule.type not in WORD_TYPES or lang == language(self.default_locale)


_GUIDES: dict[tuple[str, str], Guide] = {}


def compile_guide(text: str, data: Any, default_locale: str) -> Guide:
    """The compiled guide for a style guide's ``data``, cached by its ``text``."""
    key = (text, default_locale)
    guide = _GUIDES.get(key)
    if guide is None:
        if len(_GUIDES) >= 8:
            _GUIDES.clear()
        guide = _GUIDES[key] = _build(data, default_locale)
    return guide


def _build(data: Any, default_locale: str) -> Guide:
    guide = Guide(default_locale)
    if not isinstance(data, dict):
        return guide
    guide.packs = frozenset(p for p in _strings(data.get("extends")) if p in PACKS)
    guide.disabled = frozenset(d.strip() for d in _strings(data.get("disable")) if d.strip())
    for i, raw in enumerate(data.get("rules") or ()):
        rule = _parse_rule(i, raw)
        if rule is not None:
            guide.rules.append(rule)
    readability = data.get("readability")
    if isinstance(readability, dict):
        guide.readability = {
            str(k): float(v)
            for k, v in readability.items()
            if isinstance(v, int | float) and not isinstance(v, bool)
        }
    return guide
