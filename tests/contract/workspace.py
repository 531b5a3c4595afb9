"""Small workspaces for provider tests, built on disk."""

from __future__ import annotations

import textwrap
from pathlib import Path

CONFIG = """\
kind: workspace
name: Test
brand:
  company_name: Acme Corp
  postal_address: 1 Main St
  privacy_url: https://acme.example/privacy
locales: [en-US, de-DE]
environments:
{envs}
"""

FIELDS = """\
kind: fields
fields:
  - name: candidate.first_name
    type: string
    required: true
    sample: Lena
    tokens: {greenhouse: CANDIDATE_FIRST_NAME, lever: Candidate first name,
             smartrecruiters: m_applicant_first_name, teamtailor: first-name,
             opencats: CANDFIRSTNAME}
  - name: job.title
    type: string
    required: true
    sample: Data Engineer
    tokens: {greenhouse: JOB_NAME, lever: Newest job posting, smartrecruiters: m_job_title,
             teamtailor: job-title, opencats: JBODTITLE}
  - name: recruiter.name
    type: string
    sample: Jonas
"""

TEMPLATE = """\
kind: template
id: {id}
channel: email
category: transactional
subject: "Hello {{{{ candidate.first_name }}}}"
body:
  html: "<p>Hi {{{{ candidate.first_name }}}}, about {{{{ job.title }}}}: {text}</p>"
locales:
  de-DE:
    subject: "Hallo {{{{ candidate.first_name }}}}"
"""


def make(root: Path, envs: str, templates: int = 2, text: str = "welcome") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "atscomms.yaml").write_text(CONFIG.format(envs=textwrap.indent(envs.strip(), "  ")))
    (root / "fields.yaml").write_text(FIELDS)
    (root / "templates").mkdir(exist_ok=True)
    for i in range(templates):
        set_text(root, f"t{i:03d}", text)
    return root


def set_text(root: Path, tid: str, text: str) -> None:
    (root / "templates" / f"{tid}.yaml").write_text(TEMPLATE.format(id=tid, text=text))
