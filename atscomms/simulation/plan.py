"""A sequence compiled for simulation and static checks: steps, tracks, segments,
windows, consent, exits and pauses, read from the sequence's YAML data."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from atscomms.loading.document import Path
from atscomms.simulation.calendar import (
    ANY_TIME,
    DEFAULT_BUSINESS_DAYS,
    WEEKDAYS,
    Calendar,
    Duration,
    Window,
    parse_dates,
)

STEP_KINDS = ("send", "wait", "wait_until", "branch", "notify", "stop")
DEFAULT_FALLBACKS = ("persona", "candidate.timezone", "job.timezone", "workspace")
#: The pipeline stage a trigger implies (used when the sequence names none).
TRIGGER_STAGES = {
    "application_submitted": "applied",
    "assessment_completed": "assessment",
    "interview_scheduled": "interview",
    "interview_rescheduled": "interview",
    "interview_cancelled": "interview",
    "offer_extended": "offer",
    "rejected": "rejected",
}
#: Consent required when the sequence does not say: SMS always needs an opt-in.
DEFAULT_CONSENT = {"email": False, "sms": True}


@dataclass(frozen=True, slots=True)
class TemplateInfo:
    channel: str = "email"
    category: str = "transactional"
    stage: str | None = None
    variants: tuple[tuple[str, float | None], ...] = ()


@dataclass(frozen=True, slots=True)
class Arm:
    template: str
    variant: str | None
    weight: float


@dataclass(slots=True)
class Step:
    index: int
    id: str
    kind: str
    path: Path
    description: str | None = None
    template: str | None = None
    channel: str | None = None
    category: str | None = None
    arms: tuple[Arm, ...] = ()
    duration: Duration | None = None
    field: str | None = None
    offset: Duration | None = None
    cond: dict[str, Any] | None = None
    then: int | None = None
    otherwise: int | None = None
    max_visits: int | None = None
    to: str | None = None
    message: str | None = None

    @property
    def sends(self) -> bool:
        return self.kind == "send"

    def successors(self, n: int) -> list[int]:
        """Indices reachable in one move (a branch's unknown target: the next step)."""
        nxt = [self.index + 1] if self.index + 1 < n else []
        if self.kind == "stop":
            return []
        if self.kind == "branch":
            out = [self.then if self.then is not None else self.index + 1]
            out.append(self.otherwise if self.otherwise is not None else self.index + 1)
            return [i for i in dict.fromkeys(out) if i < n]
        return nxt


@dataclass(slots=True)
class StepList:
    id: str | None  # track id; None for the main steps
    when: dict[str, Any] | None
    steps: list[Step]
    path: Path  # ("steps",) or ("tracks", i, "steps")


@dataclass(frozen=True, slots=True)
class Segment:
    id: str
    when: dict[str, Any] | None
    min_gap: Duration | None
    weekly_cap: int | None


@dataclass(slots=True)
class Plan:
    id: str
    category: str | None
    trigger: dict[str, Any]
    stage: str | None
    main: StepList
    tracks: list[StepList] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    consent: dict[str, bool] = field(default_factory=dict)
    windows: dict[str, Window] = field(default_factory=dict)
    category_windows: dict[str, dict[str, Window]] = field(default_factory=dict)
    calendar: Calendar = field(default_factory=Calendar)
    min_gap: Duration | None = None
    weekly_cap: int | None = None
    exit_on: frozenset[str] = frozenset()
    pause_on: frozenset[str] = frozenset()
    timezone_fallbacks: tuple[str, ...] = DEFAULT_FALLBACKS
    #: A/B variants (id, weight) of the templates the steps send
    variants: dict[str, tuple[tuple[str, float | None], ...]] = field(default_factory=dict)

    @property
    def step_lists(self) -> list[StepList]:
        return [self.main, *self.tracks]

    @property
    def trigger_name(self) -> str | None:
        return _str(self.trigger.get("event")) or _str(self.trigger.get("action"))

    def window(self, channel: str, category: str | None) -> Window:
        """Per-category window for the channel, else the channel's window, else any time."""
        by_cat = self.category_windows.get(category or "", {})
        return by_cat.get(channel) or self.windows.get(channel) or ANY_TIME

    def window_path(self, channel: str, category: str | None) -> Path | None:
        if channel in self.category_windows.get(category or "", {}):
            return ("send_windows", "by_category", category or "", channel)
        if channel in self.windows:
            return ("send_windows", channel)
        return None

    def needs_consent(self, channel: str) -> bool:
        return self.consent.get(channel, DEFAULT_CONSENT.get(channel, False))


def _duration(value: Any) -> Duration | None:
    return Duration.parse(value)


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _steps(raw: Any, base: Path, seq_category: str | None, templates: Mapping) -> list[Step]:
    items = [s if isinstance(s, dict) else {} for s in (raw if isinstance(raw, list) else [])]
    ids = [_str(s.get("id")) or f"step-{i + 1}" for i, s in enumerate(items)]
    index = {sid: i for i, sid in reversed(list(enumerate(ids)))}
    out: list[Step] = []
    for i, s in enumerate(items):
        kind = next((k for k in STEP_KINDS if k in s), "stop")
        step = Step(i, ids[i], kind, (*base, i), description=_str(s.get("description")))
        if kind == "send":
            name = _str(s.get("send")) or ""
            info = templates.get(name)
            step.template = name
            step.channel = _str(s.get("channel")) or (info.channel if info else "email")
            step.category = info.category if info else seq_category
            arms = []
            for arm in as_list(s.get("split")):
                if isinstance(arm, dict):
                    weight = arm.get("weight")
                    arms.append(
                        Arm(
                            _str(arm.get("template")) or name,
                            _str(arm.get("variant")),
                            float(weight) if isinstance(weight, int | float) else 0.0,
                        )
                    )
            step.arms = tuple(arms)
        elif kind == "wait":
            step.duration = _duration(s.get("wait"))
        elif kind == "wait_until":
            spec = s.get("wait_until") if isinstance(s.get("wait_until"), dict) else {}
            step.field = _str(spec.get("field"))
            step.offset = _duration(spec.get("offset"))
        elif kind == "branch":
            spec = s.get("branch") if isinstance(s.get("branch"), dict) else {}
            step.cond = spec.get("if") if isinstance(spec.get("if"), dict) else {}
            step.then = index.get(_str(spec.get("then")) or "")
            step.otherwise = index.get(_str(spec.get("else")) or "")
            mv = spec.get("max_visits")
            step.max_visits = mv if isinstance(mv, int) and not isinstance(mv, bool) else None
        elif kind == "notify":
            spec = s.get("notify") if isinstance(s.get("notify"), dict) else {}
            step.to = _str(spec.get("to"))
            step.message = _str(spec.get("message"))
        else:
            reason = s.get("stop")
            step.message = reason if isinstance(reason, str) else None
        out.append(step)
    return out


def _windows(raw: Any) -> dict[str, Window]:
    out: dict[str, Window] = {}
    if isinstance(raw, dict):
        for channel in ("email", "sms"):
            w = Window.from_data(raw.get(channel))
            if w is not None:
                out[channel] = w
    return out


def journey_stage(data: Mapping[str, Any], stages: list[str]) -> str | None:
    """The pipeline stage the sequence runs at: `stage:`, the trigger's stage, or implied."""
    explicit = data.get("stage")
    if isinstance(explicit, str):
        return explicit
    trigger = data.get("trigger") if isinstance(data.get("trigger"), dict) else {}
    if isinstance(trigger.get("stage"), str):
        return trigger["stage"]
    implied = TRIGGER_STAGES.get(_str(trigger.get("event")) or _str(trigger.get("action")) or "")
    return implied if implied and (not stages or implied in stages) else None


def compile_plan(
    data: Mapping[str, Any],
    templates: Mapping[str, TemplateInfo],
    stages: list[str] | None = None,
) -> Plan:
    """Build a :class:`Plan` from a sequence's data (invalid parts are ignored)."""
    category = _str(data.get("category"))
    windows_raw = data.get("send_windows") if isinstance(data.get("send_windows"), dict) else {}
    by_cat = windows_raw.get("by_category") if isinstance(windows_raw, dict) else None
    main = StepList(
        None, None, _steps(data.get("steps"), ("steps",), category, templates), ("steps",)
    )
    tracks = []
    for i, t in enumerate(as_list(data.get("tracks"))):
        if isinstance(t, dict):
            base: Path = ("tracks", i, "steps")
            when = t.get("when") if isinstance(t.get("when"), dict) else None
            tid = _str(t.get("id")) or f"track-{i + 1}"
            tracks.append(
                StepList(tid, when, _steps(t.get("steps"), base, category, templates), base)
            )
    segments = []
    for i, s in enumerate(as_list(data.get("segments"))):
        if isinstance(s, dict):
            cap = s.get("weekly_cap")
            segments.append(
                Segment(
                    _str(s.get("id")) or f"segment-{i + 1}",
                    s.get("when") if isinstance(s.get("when"), dict) else None,
                    _duration(s.get("min_gap")),
                    cap if isinstance(cap, int) and not isinstance(cap, bool) else None,
                )
            )
    consent = data.get("consent") if isinstance(data.get("consent"), dict) else {}
    raw_bdays = data.get("business_days")
    bdays = (
        frozenset(WEEKDAYS.index(d) for d in raw_bdays if d in WEEKDAYS)
        if isinstance(raw_bdays, list)
        else DEFAULT_BUSINESS_DAYS
    )
    cap = data.get("weekly_cap")
    fallbacks = data.get("timezone_fallbacks")
    trigger = data.get("trigger") if isinstance(data.get("trigger"), dict) else {}
    variants = {
        s.template: templates[s.template].variants
        for lst in (main, *tracks)
        for s in lst.steps
        if s.template in templates and templates[s.template].variants
    }
    return Plan(
        id=_str(data.get("id")) or "",
        category=category,
        trigger=dict(trigger),
        stage=journey_stage(data, stages or []),
        main=main,
        tracks=tracks,
        segments=segments,
        consent={k: v for k, v in consent.items() if isinstance(v, bool)},
        windows=_windows(windows_raw),
        category_windows={
            k: _windows(v) for k, v in (by_cat.items() if isinstance(by_cat, dict) else [])
        },
        calendar=Calendar(parse_dates(as_list(data.get("holidays"))), bdays),
        min_gap=_duration(data.get("min_gap")),
        weekly_cap=cap if isinstance(cap, int) and not isinstance(cap, bool) else None,
        exit_on=frozenset(x for x in as_list(data.get("exit_on")) if isinstance(x, str)),
        pause_on=frozenset(x for x in as_list(data.get("pause_on")) if isinstance(x, str)),
        timezone_fallbacks=tuple(f for f in fallbacks if isinstance(f, str))
        if isinstance(fallbacks, list) and fallbacks
        else DEFAULT_FALLBACKS,
        variants=variants,
    )


def template_infos(templates: Mapping[str, Any]) -> dict[str, TemplateInfo]:
    """TemplateInfo for every Template of a workspace."""
    return {
        tid: TemplateInfo(
            t.channel,
            t.category,
            t.stage,
            tuple((v.id, v.weight) for v in t.variants),
        )
        for tid, t in templates.items()
    }


def holds(cond: Mapping[str, Any] | None, fields: Mapping[str, Any], happened: set[str]) -> bool:
    """Whether a condition (`field` with `equals`/`in`/`exists`, and/or `event`) holds."""
    if not cond:
        return True
    event = cond.get("event")
    if event is not None and (not isinstance(event, str) or event not in happened):
        return False
    name = cond.get("field")
    if isinstance(name, str):
        value = fields.get(name)
        present = value is not None and value != ""
        if "exists" in cond:
            if present != bool(cond["exists"]):
                return False
        elif "equals" not in cond and "in" not in cond and not present:
            return False
        if "equals" in cond and value != cond["equals"]:
            return False
        if "in" in cond and (not isinstance(cond["in"], list) or value not in cond["in"]):
            return False
    return True
