"""The periodic message audit: review age, unused resources, approvals, lint findings
per template and (optionally) broken links. ``Audit.to_dict()`` is the JSON output;
:func:`to_report` the Markdown/HTML document."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from atscomms.model.workspace import Workspace

DEFAULT_MAX_AGE_DAYS = 180


@dataclass(slots=True)
class Review:
    template: str
    last_reviewed: str | None  # YYYY-MM-DD
    source: str  # "review.last_reviewed", "approval by x", "never"
    age_days: int | None
    overdue: bool


@dataclass(slots=True)
class Audit:
    as_of: str
    max_age_days: int
    reviews: list[Review] = field(default_factory=list)
    unused_templates: list[str] = field(default_factory=list)
    unused_partials: list[str] = field(default_factory=list)
    unused_layouts: list[str] = field(default_factory=list)
    approvals: list[dict[str, Any]] = field(default_factory=list)  # not approved only
    approval_note: str | None = None
    findings: dict[str, dict[str, Any]] = field(default_factory=dict)  # resource -> summary
    links: list[dict[str, Any]] | None = None  # None: not checked

    @property
    def problems(self) -> int:
        broken = [x for x in self.links or [] if x["status"] != "ok"]
        lint = sum(v["error"] + v["warning"] for v in self.findings.values())
        return (
            sum(r.overdue for r in self.reviews)
            + len(self.unused_templates)
            + len(self.unused_partials)
            + len(self.approvals)
            + lint
            + len(broken)
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of,
            "max_age_days": self.max_age_days,
            "reviews": [
                {
                    "template": r.template,
                    "last_reviewed": r.last_reviewed,
                    "source": r.source,
                    "age_days": r.age_days,
                    "overdue": r.overdue,
                }
                for r in self.reviews
            ],
            "unused": {
                "templates": self.unused_templates,
                "partials": self.unused_partials,
                "layouts": self.unused_layouts,
            },
            "approvals": self.approvals,
            "findings": self.findings,
            "links": self.links,
        }


def run(
    ws: Workspace,
    result: Any,
    *,
    as_of: date | None = None,
    max_age_days: int | None = None,
    check_links: bool = False,
    allow_private: bool = False,
    timeout: float = 10.0,
    workers: int = 8,
) -> Audit:
    from atscomms.governance.approvals import statuses
    from atscomms.governance.usage import shared_uses, template_uses

    today = as_of or date.today()
    policy = (ws.governance.data.get("review") or {}) if ws.governance else {}
    max_age = max_age_days or policy.get("max_age_days") or DEFAULT_MAX_AGE_DAYS
    audit = Audit(today.isoformat(), int(max_age))
    states = statuses(ws)
    for tid, t in sorted(ws.templates.items()):
        audit.reviews.append(_review(tid, t.data.get("review"), states.get(tid), today, max_age))
    uses = template_uses(ws)
    audit.unused_templates = sorted(t for t in ws.templates if not uses.get(t))
    layouts, partials = shared_uses(ws)
    audit.unused_layouts = sorted(k for k, v in layouts.items() if not v and k in ws.layouts)
    audit.unused_partials = sorted(k for k, v in partials.items() if not v and k in ws.partials)
    for tid, st in states.items():
        audit.approval_note = audit.approval_note or st.note
        if st.status != "approved":
            audit.approvals.append(
                {
                    "template": tid,
                    "version": st.version,
                    "status": st.status,
                    "missing": st.missing,
                    "stale": [f"{a.role} approved {a.version}" for a in st.stale],
                }
            )
    audit.findings = _lint(ws, result)
    if check_links:
        audit.links = _links(ws, allow_private=allow_private, timeout=timeout, workers=workers)
    return audit


def _review(tid: str, review: Any, st: Any, today: date, max_age: int) -> Review:
    dates: list[tuple[str, str]] = []
    if isinstance(review, dict) and isinstance(review.get("last_reviewed"), str):
        who = review.get("reviewer")
        dates.append((review["last_reviewed"][:10], f"review.last_reviewed ({who or '?'})"))
    if st is not None:
        for a in [*st.approved, *st.stale]:
            if a.commit is not None:
                dates.append((a.commit.date[:10], f"{a.role} approval by {a.by}"))
    if not dates:
        return Review(tid, None, "never", None, True)
    last, source = max(dates)
    try:
        age = (today - date.fromisoformat(last)).days
    except ValueError:
        return Review(tid, last, source, None, True)
    return Review(tid, last, source, age, age > max_age)


def _lint(ws: Workspace, result: Any) -> dict[str, dict[str, Any]]:
    """Lint findings (governance rules aside) per resource: counts and the rules involved."""
    from atscomms.checks.config import LintConfig
    from atscomms.checks.engine import lint

    config = LintConfig.build(ws.config.lint)
    config.ignore = [*config.ignore, "G"]
    run = lint(ws, result, config)
    out: dict[str, dict[str, Any]] = {}
    for f in run.result.findings:
        key = f.resource or f.path
        entry = out.setdefault(key, {"error": 0, "warning": 0, "info": 0, "rules": Counter()})
        entry[str(f.severity)] += 1
        entry["rules"][f"{f.code} {f.rule}"] += 1
    for entry in out.values():
        entry["rules"] = dict(sorted(entry["rules"].items()))
    return dict(sorted(out.items()))


def _links(ws: Workspace, **kwargs: Any) -> list[dict[str, Any]]:
    from atscomms import __version__
    from atscomms.governance.links import check_all, extract
    from atscomms.rendering.render import Renderer

    renderer = Renderer(ws)
    where: dict[str, set[str]] = {}
    for tid, t in sorted(ws.templates.items()):
        for locale in ws.config.locales:
            for variant in [None, *(v.id for v in t.variants)]:
                out = renderer.render(t, locale=locale, variant=variant)
                text = out.sms.text if out.sms is not None else out.text
                for url in extract(out.html, text):
                    where.setdefault(url, set()).add(tid)
    results = check_all(where, user_agent=f"atscomms/{__version__} link check", **kwargs)
    return [{**results[url].to_dict(), "templates": sorted(where[url])} for url in sorted(results)]


def to_report(audit: Audit, workspace_name: str):
    from atscomms.governance.output import Report

    report = Report(f"Message audit: {workspace_name}")
    report.meta += [
        ("As of", audit.as_of),
        ("Review policy", f"every {audit.max_age_days} days"),
        ("Problems", str(audit.problems)),
    ]
    s = report.section("Reviews")
    overdue = [r for r in audit.reviews if r.overdue]
    s.para(
        f"{len(overdue)} of {len(audit.reviews)} template(s) not reviewed in the last "
        f"{audit.max_age_days} days."
    )
    t = s.table(["Template", "Last reviewed", "Days ago", "Evidence", "Overdue"])
    for r in audit.reviews:
        t.add(
            r.template,
            r.last_reviewed or "never",
            r.age_days if r.age_days is not None else "-",
            r.source,
            "yes" if r.overdue else "no",
        )
    s = report.section("Unused templates and partials")
    t = s.table(
        ["Kind", "Id", "Why"],
        empty="Every template is sent by a sequence and every partial and layout is used.",
    )
    for tid in audit.unused_templates:
        t.add("template", tid, "no sequence sends it (sent by hand, or obsolete?)")
    for pid in audit.unused_partials:
        t.add("partial", pid, "no template includes it")
    for lid in audit.unused_layouts:
        t.add("layout", lid, "no template uses it")
    s = report.section("Unapproved or stale versions")
    if audit.approval_note:
        s.para(audit.approval_note)
    t = s.table(
        ["Template", "Version", "Status", "Missing sign-offs", "Stale approvals"],
        empty="Every template's current version is approved.",
    )
    for a in audit.approvals:
        t.add(
            a["template"],
            a["version"],
            a["status"],
            ", ".join(a["missing"]),
            "\n".join(a["stale"]) or "-",
        )
    s = report.section("Style guide and lint findings per template")
    t = s.table(["Resource", "Errors", "Warnings", "Info", "Rules"], empty="No findings.")
    for res, v in audit.findings.items():
        rules = "\n".join(f"{k} ×{n}" for k, n in v["rules"].items())
        t.add(res, v["error"], v["warning"], v["info"], rules)
    if audit.links is not None:
        s = report.section("Links")
        bad = [x for x in audit.links if x["status"] != "ok"]
        s.para(f"{len(audit.links)} distinct link(s) checked, {len(bad)} with problems.")
        t = s.table(["Status", "Code", "URL", "Detail", "Used in"], empty="No links found.")
        for x in sorted(audit.links, key=lambda x: (x["status"] == "ok", x["url"])):
            t.add(x["status"], x["code"] or "-", x["url"], x["detail"], ", ".join(x["templates"]))
    return report
