"""`report compliance` (per template: basis, consent, retention, approvals, last change,
where used) and `report privacy` (which PII classes reach which channels, sequences and
provider environments). Each builder returns JSON-ready data; ``*_report`` turns it into
an :class:`~atscomms.governance.output.Report` for Markdown and HTML."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from atscomms.model.workspace import Workspace

MARKETING = ("nurture", "sourcing")


def _meta(ws: Workspace) -> dict[str, Any]:
    from atscomms.governance.gitutil import GitError, Repo

    commit = None
    try:
        repo = Repo(ws.root)
        if repo.has_commits:
            info = repo.info("HEAD")
            commit = {"commit": info.sha, "date": info.date, "message": info.subject}
    except GitError:
        pass
    return {
        "workspace": ws.config.name or ws.root.name,
        "generated": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "git": commit,
    }


def compliance(ws: Workspace) -> dict[str, Any]:
    from atscomms.governance.approvals import statuses
    from atscomms.governance.gitutil import GitError, Repo
    from atscomms.governance.usage import sequence_consent, template_uses
    from atscomms.governance.versions import inputs

    states = statuses(ws)
    uses = template_uses(ws)
    try:
        repo: Repo | None = Repo(ws.root)
    except GitError:
        repo = None
    rows: list[dict[str, Any]] = []
    for tid, t in sorted(ws.templates.items()):
        comp = t.data.get("compliance") if isinstance(t.data.get("compliance"), dict) else {}
        basis = comp.get("lawful_basis")
        by_seq = {u.sequence: sequence_consent(ws, u.sequence, t.channel) for u in uses[tid]}
        required = basis == "consent" or any(v is True for v in by_seq.values())
        st = states[tid]
        last = None
        if repo is not None and repo.has_commits:
            files = sorted(f for f in inputs(ws, t).files if f != "atscomms.yaml")
            log = repo.log(files, max_count=1)
            if log:
                last = log[0].to_dict()
            if repo.dirty(files):
                last = {**(last or {}), "uncommitted": True}
        rows.append(
            {
                "template": tid,
                "name": t.data.get("name"),
                "category": t.category,
                "channel": t.channel,
                "stage": t.stage,
                "lawful_basis": basis,
                "consent": {
                    "required": required,
                    "by_sequence": by_seq,
                    "unsubscribe_link": t.category in MARKETING,
                },
                "retention": comp.get("retention"),
                "owner": t.data.get("owner"),
                "version": st.version,
                "approval": {
                    "status": st.status,
                    "required": st.required,
                    "missing": st.missing,
                    "approvals": [_approval(a) for a in st.approved],
                    "stale": [_approval(a) for a in st.stale],
                },
                "last_change": last,
                "used_in": [str(u) for u in uses[tid]],
            }
        )
    return {**_meta(ws), "templates": rows}


def _approval(a: Any) -> dict[str, Any]:
    return {
        "role": a.role,
        "by": a.by,
        "at": a.at,
        "version": a.version,
        "commit": a.commit.sha if a.commit else None,
    }


def privacy(ws: Workspace) -> dict[str, Any]:
    from atscomms.governance.usage import condition_fields, template_uses
    from atscomms.governance.versions import field_refs, inputs

    uses = template_uses(ws)
    envs = {
        name: {
            "provider": spec.get("provider"),
            "production": spec.get("production") is True,
        }
        for name, spec in sorted(ws.config.environments.items())
        if isinstance(spec, dict)
    }
    registry = ws.fields.fields if ws.fields is not None else {}
    used_by: dict[str, set[str]] = {}
    exposed: dict[str, set[str]] = {}  # field -> templates showing it in subject/preheader/SMS
    # The candidate's address is PII every message carries, even when no template prints it.
    recipients = {
        channel: [n for n, f in registry.items() if f.type == kind and n.startswith("candidate.")]
        for channel, kind in (("email", "email"), ("sms", "phone"))
    }
    recipient_of: dict[str, set[str]] = {}
    for tid, t in ws.templates.items():
        for name in inputs(ws, t).fields:
            used_by.setdefault(name, set()).add(tid)
        for name in recipients.get(t.channel, []):
            used_by.setdefault(name, set()).add(tid)
            recipient_of.setdefault(name, set()).add(t.channel)
        preview_texts = [
            x.value
            for parts in (t.parts, *t.locales.values())
            for x in (parts.subject, parts.preheader)
            if x is not None
        ]
        if t.channel == "sms":
            preview_texts += [
                p.body.source.value
                for p in (t.parts, *t.locales.values())
                if p.body is not None and p.body.source is not None
            ]
        for text in preview_texts:
            for ref in field_refs(text):
                for name in registry:
                    if name == ref or ref.startswith(name + "."):
                        exposed.setdefault(name, set()).add(tid)
    logic: dict[str, set[str]] = {}
    for seq in ws.sequences.values():
        for name in condition_fields(seq):
            logic.setdefault(name, set()).add(seq.id)
    fields: list[dict[str, Any]] = []
    for name, f in sorted(registry.items()):
        if f.pii == "none":
            continue
        templates = sorted(used_by.get(name, ()))
        sequences = sorted({u.sequence for tid in templates for u in uses.get(tid, [])})
        fields.append(
            {
                "field": name,
                "pii": f.pii,
                "required": f.required,
                "templates": templates,
                "channels": sorted({ws.templates[t].channel for t in templates}),
                "shown_in_previews": sorted(exposed.get(name, ())),
                "recipient_address_for": sorted(recipient_of.get(name, ())),
                "sequences": sequences,
                "sequence_logic": sorted(logic.get(name, ())),
                "environments": sorted(envs) if templates else [],
                "provider_tokens": sorted(f.tokens),
            }
        )
    classes: dict[str, dict[str, set[str]]] = {}
    for entry in fields:
        c = classes.setdefault(
            entry["pii"],
            {k: set() for k in ("fields", "templates", "channels", "sequences", "environments")},
        )
        c["fields"].add(entry["field"])
        for key in ("templates", "channels", "sequences", "environments"):
            c[key].update(entry[key])
        c["sequences"].update(entry["sequence_logic"])
    by_class = {k: {kk: sorted(vv) for kk, vv in v.items()} for k, v in sorted(classes.items())}
    environments = [
        {
            "environment": name,
            **spec,
            "pii_classes": sorted(c for c, v in by_class.items() if name in v["environments"]),
        }
        for name, spec in envs.items()
    ]
    return {**_meta(ws), "classes": by_class, "fields": fields, "environments": environments}


def _join(items: list[str] | None, empty: str = "-") -> str:
    return ", ".join(items) if items else empty


def _source(data: dict[str, Any], report: Any) -> None:
    report.meta.append(("Workspace", data["workspace"]))
    report.meta.append(("Generated", data["generated"]))
    git = data["git"]
    if git:
        report.meta.append(("Git commit", f"{git['commit'][:10]} ({git['date'][:10]})"))


def compliance_report(data: dict[str, Any]):
    from atscomms.governance.output import Report

    report = Report("Compliance report: candidate messages")
    report.intro = (
        "Every message template, the legal basis for sending it, whether the candidate's "
        "consent is required, how long the data it relies on is kept, who approved the "
        "current version, when it last changed, and where it is sent from."
    )
    _source(data, report)
    rows = data["templates"]
    summary = report.section("Summary")
    t = summary.table(
        ["Template", "Category", "Channel", "Lawful basis", "Consent", "Retention", "Approval"]
    )
    for r in rows:
        consent = "required" if r["consent"]["required"] else "not required"
        t.add(
            r["template"],
            r["category"],
            r["channel"],
            r["lawful_basis"] or "not recorded",
            consent,
            r["retention"] or "not recorded",
            r["approval"]["status"],
        )
    for r in rows:
        s = report.section(f"{r['template']}" + (f": {r['name']}" if r["name"] else ""))
        a = r["approval"]
        by_seq = r["consent"]["by_sequence"]
        consent = "required" if r["consent"]["required"] else "not required"
        if by_seq:
            consent += (
                " ("
                + ", ".join(
                    f"{k}: {'yes' if v else 'no' if v is False else 'not stated'}"
                    for k, v in by_seq.items()
                )
                + ")"
            )
        if r["consent"]["unsubscribe_link"]:
            consent += "; marketing message: carries the preference-center link"
        last = r["last_change"]
        last_text = "-"
        if last and last.get("commit"):
            last_text = f"{last['date'][:10]} by {last['author']}: {last['message']}"
            last_text += f" ({last['commit'][:10]})"
        if last and last.get("uncommitted"):
            last_text += " + uncommitted changes"
        facts = s.table(["", ""])
        facts.add(
            "Category / channel / stage", f"{r['category']} / {r['channel']} / {r['stage'] or '-'}"
        )
        facts.add("Lawful basis", r["lawful_basis"] or "not recorded")
        facts.add("Consent", consent)
        facts.add("Retention", r["retention"] or "not recorded")
        facts.add("Owner", r["owner"] or "-")
        facts.add("Current version", r["version"])
        facts.add(
            "Approval",
            f"{a['status']}; required: {_join(a['required'], 'none')}; "
            f"missing: {_join(a['missing'], 'none')}",
        )
        facts.add("Last change", last_text)
        facts.add("Used in", _join(r["used_in"], "no sequence (sent by hand)"))
        ap = s.table(
            ["Role", "Approved by", "When", "Version", "Commit"],
            caption="Approvals",
            empty="No approvals count for this template.",
        )
        for x in a["approvals"] + a["stale"]:
            stale = "" if x["version"] == r["version"] else " (older version)"
            ap.add(
                x["role"],
                x["by"],
                (x["at"] or "")[:19],
                x["version"] + stale,
                (x["commit"] or "-")[:10],
            )
    return report


def privacy_report(data: dict[str, Any]):
    from atscomms.governance.output import Report

    report = Report("Privacy report: personal data in candidate messages")
    report.intro = (
        "Which classes of personal data (from the field registry) reach which channels, "
        "sequences and provider environments: input to a privacy impact assessment."
    )
    _source(data, report)
    s = report.section("By class of personal data")
    t = s.table(["PII class", "Fields", "Channels", "Templates", "Sequences", "Environments"])
    for cls, v in data["classes"].items():
        t.add(
            cls,
            _join(v["fields"]),
            _join(v["channels"]),
            str(len(v["templates"])),
            _join(v["sequences"]),
            _join(v["environments"]),
        )
    s = report.section("Fields")
    s.para(
        "Templates: messages that print the field or, for the candidate's email address "
        "and phone number, are delivered to it."
    )
    t = s.table(
        [
            "Field",
            "PII class",
            "Required",
            "Templates",
            "Shown in subject/SMS preview",
            "Sequences",
            "Provider tokens",
        ]
    )
    for f in data["fields"]:
        seqs = f["sequences"] + [
            f"{x} (logic only)" for x in f["sequence_logic"] if x not in f["sequences"]
        ]
        used = _join(f["templates"], "unused")
        if f["recipient_address_for"]:
            used = f"every {'/'.join(f['recipient_address_for'])} message (recipient): " + used
        t.add(
            f["field"],
            f["pii"],
            "yes" if f["required"] else "no",
            used,
            _join(f["shown_in_previews"]),
            _join(seqs),
            _join(f["provider_tokens"]),
        )
    s = report.section("Provider environments")
    t = s.table(
        ["Environment", "Provider", "Production", "PII classes sent"],
        empty="No provider environments are configured.",
    )
    for e in data["environments"]:
        t.add(
            e["environment"],
            e["provider"] or "-",
            "yes" if e["production"] else "no",
            _join(e["pii_classes"], "none"),
        )
    return report
