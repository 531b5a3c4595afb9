"""G: governance -- approvals of template versions, verified against git history.

G001 is ``info`` by default (a branch with a changed template is normal work);
CI on the main branch makes it an error with ``atscomms lint --require-approvals``
or ``lint: {severity: {G001: error}}`` in ``atscomms.yaml``.
"""

from __future__ import annotations

from collections.abc import Iterator

from atscomms.checks.context import LintContext
from atscomms.checks.registry import Rule, finding, register
from atscomms.findings import Finding, Severity


def _plural(items: list[str]) -> str:
    return ", ".join(items)


def _role_names(ctx: LintContext) -> set[str]:
    """The roles the governance file declares (none when `roles:` is malformed)."""
    from atscomms.governance.approvals import roles

    return set(roles(ctx.ws))


def _state(ctx: LintContext) -> tuple:
    """Statuses, verified approvals and the approvals file, computed once per lint run."""
    cached = getattr(ctx, "_governance_state", None)
    if cached is None:
        from atscomms.governance.approvals import statuses, verify
        from atscomms.governance.records import read

        file = read(ctx.ws)
        approvals, note = verify(ctx.ws, approvals_file=file)
        only = None
        if ctx.scope is not None:
            only = {tid for tid, t in ctx.ws.templates.items() if ctx.in_scope(t.path)}
        states = statuses(ctx.ws, only=only, verified=(approvals, note))
        cached = (states, approvals, file, note)
        object.__setattr__(ctx, "_governance_state", cached)
    return cached


@register
class UnapprovedVersion(Rule):
    """
    ## What it does
    Reports a template whose current version lacks a counted approval from a
    role the governance file requires for its category or channel.

    ## Why
    Legal, HR and comms sign off message changes. A version nobody approved
    must not reach candidates; `atscomms push` to production refuses it.
    Severity is `info` by default (normal on a branch); run
    `atscomms lint --require-approvals` (or set `lint.severity.G001: error`)
    in CI on the main branch.

    ## Example
    ```yaml
    # governance.yaml
    approvals:
      - categories: [offer]
        require: [legal, hr]
    ```
    and `templates/offer-extended.yaml` changed since legal approved it.

    ## Fix
    A member of each missing role runs `atscomms approve offer-extended --role legal`
    and commits `approvals.yaml` under their own git identity.
    """

    code = "G001"
    name = "unapproved-version"
    severity = Severity.INFO

    def check_workspace(self, ctx: LintContext) -> Iterator[Finding]:
        if ctx.ws.governance is None:
            return
        states, _, file, note = _state(ctx)
        for tid, st in states.items():
            t = ctx.ws.templates[tid]
            if st.status == "approved" or not ctx.in_scope(t.path):
                continue
            parts = [
                f"version {st.version} of template {tid!r} lacks approval by {_plural(st.missing)}"
            ]
            if st.stale:
                old = "; ".join(f"{a.role} approved {a.version}" for a in st.stale)
                parts.append(f"(stale: {old})")
            if note:
                parts.append(f"({note})")
            yield finding(
                self.code,
                t.path,
                t.doc.span(("id",)),
                " ".join(parts),
                hint=f"A member of each role runs `atscomms approve {tid} --role ROLE` and "
                f"commits {file.path}.",
                resource=t.ref,
            )


@register
class ApprovalByNonMember(Rule):
    """
    ## What it does
    Reports an entry of the approvals file that was added in a commit whose
    author is not a member of the role it signs for (or, with
    `require_signed_commits: true`, in a commit without a good signature).

    ## Why
    The approvals file is only a record; git history says who actually added
    an approval. An entry written by anyone else does not count.

    ## Example
    `approvals.yaml` gains `role: legal` in a commit authored by
    `intern@acme.example`, who is not listed under `roles.legal.members`.

    ## Fix
    Remove the entry; a member of the role approves with `atscomms approve`
    and commits it under their own identity (signed, when required).
    """

    code = "G002"
    name = "approval-by-non-member"
    severity = Severity.ERROR

    def check_workspace(self, ctx: LintContext) -> Iterator[Finding]:
        if ctx.ws.governance is None:
            return
        _, approvals, file, _ = _state(ctx)
        known = _role_names(ctx)
        for a in approvals:
            if a.valid or a.commit is None or a.role not in known:
                continue
            yield _entry_finding(
                self.code,
                file,
                a.record.index,
                "by",
                f"approval of {a.template!r} by role {a.role!r} does not count: {a.reason}",
                hint="Only members of the role may add its approvals (governance.yaml `roles`).",
            )


@register
class StaleApproval(Rule):
    """
    ## What it does
    Reports an approval of an older version of a template whose current
    version that role has not approved yet.

    ## Why
    An approval covers one exact version (the content hash of the template,
    its layout, partials and fields). Any change since, including a change to
    a shared footer, needs a new sign-off.

    ## Example
    Legal approved `offer-extended` at version `85e38261e0ee462a`; the footer
    in `layouts/acme-email.yaml` changed since.

    ## Fix
    Review the change (`atscomms diff --rendered`) and approve the current
    version: `atscomms approve offer-extended --role legal`.
    """

    code = "G003"
    name = "stale-approval"
    severity = Severity.INFO

    def check_workspace(self, ctx: LintContext) -> Iterator[Finding]:
        if ctx.ws.governance is None:
            return
        states, _, file, _ = _state(ctx)
        for st in states.values():
            for a in st.stale:
                yield _entry_finding(
                    self.code,
                    file,
                    a.record.index,
                    "version",
                    f"{a.role} approved version {a.version} of {a.template!r};"
                    f" the current version is {st.version}",
                    hint=f"Re-approve: `atscomms approve {a.template} --role {a.role}`.",
                )


@register
class OrphanApproval(Rule):
    """
    ## What it does
    Reports an approval entry for a template id that no longer exists, or for
    a role the governance file does not define.

    ## Why
    Orphan records make the approvals file harder to review and can come back
    to life if a template id is reused.

    ## Example
    ```yaml
    approvals:
      - template: offer-extended-old
        version: "85e38261e0ee462a"
        role: legal
        by: priya.shah@acme.example
    ```

    ## Fix
    Delete the entry (git keeps the record), or correct the template id or role.
    """

    code = "G004"
    name = "orphan-approval"
    severity = Severity.WARNING

    def check_workspace(self, ctx: LintContext) -> Iterator[Finding]:
        if ctx.ws.governance is None:
            return
        _, _, file, _ = _state(ctx)
        known = _role_names(ctx)
        for r in file.records:
            if r.template not in ctx.ws.templates and r.template not in ctx.ws.unloaded:
                yield _entry_finding(
                    self.code,
                    file,
                    r.index,
                    "template",
                    f"approval for unknown template {r.template!r}",
                    hint="Delete the entry or correct the template id.",
                )
            elif r.role not in known:
                yield _entry_finding(
                    self.code,
                    file,
                    r.index,
                    "role",
                    f"approval for unknown role {r.role!r}",
                    hint="Roles: " + ", ".join(sorted(known)),
                )


@register
class MalformedApprovals(Rule):
    """
    ## What it does
    Reports problems in the approvals file itself: YAML syntax and the shape
    the approvals schema requires (`schemas/approvals.schema.json`). The
    individual problems carry their own structure codes (S...); this rule
    runs the check.

    ## Why
    A malformed approvals file silently loses sign-offs.

    ## Example
    ```yaml
    approvals:
      - template: offer-extended
        role: legal
    ```

    ## Fix
    Record approvals with `atscomms approve`, which writes well-formed entries.
    """

    code = "G005"
    name = "malformed-approvals"
    severity = Severity.ERROR

    def check_workspace(self, ctx: LintContext) -> Iterator[Finding]:
        if ctx.ws.governance is None:
            return
        _, _, file, _ = _state(ctx)
        yield from file.findings


def _entry_finding(code: str, file, index: int, key: str, message: str, *, hint: str) -> Finding:
    span = None
    if file.doc is not None and index >= 0:
        span = file.doc.span(("approvals", index, key))
    return finding(code, file.path, span, message, hint=hint)
