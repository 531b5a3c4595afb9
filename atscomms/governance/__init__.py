"""Governance in git: versions, approvals by role, history, diffs, rollback, audit, reports.

Git is the record. Every module reads history through gitpython (``gitutil``)
and never rewrites it: the only repository writes are working-tree files
(``approve`` appends to the approvals file, ``rollback`` restores files,
``codeowners`` updates its block) and the optional ``approve --commit``.

Public API used by other parts of atscomms:

* :func:`atscomms.governance.versions.template_version` -- the content hash of
  a template as sent.
* :func:`atscomms.governance.approvals.statuses` -- per template: required
  roles, verified approvals and ``approved | pending | stale``.
"""
