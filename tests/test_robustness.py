"""No traceback on any input: random data of every kind through validate and lint."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from atscomms.checks.config import LintConfig
from atscomms.checks.engine import lint
from atscomms.loading.schemas import RESOURCE_KINDS
from atscomms.model.build import build
from tests.conftest import FIXTURES

_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 5), st.sampled_from(
        ["", "x", "email", "sms", "offer", "{{ candidate.first_name }}", "{% if x %}",
         "interview", "2026-12-08", "09:00", "-24h", "2d", "en-US", "<mj-text>",
         "file: ../x.mjml", "signature", "invite", "withdrew"]
    ),
)  # fmt: skip
_keys = st.sampled_from(
    ["id", "kind", "channel", "category", "subject", "body", "mjml", "text", "html", "file",
     "layout", "locales", "de-DE", "variants", "steps", "send", "wait", "wait_until", "branch",
     "if", "then", "field", "tracks", "segments", "when", "fields", "name", "type", "stages",
     "roles", "members", "approvals", "require", "rules", "extends", "trigger", "event",
     "split", "weight", "template", "exit_on", "send_windows", "sms", "consent", "timezone"]
)  # fmt: skip
_values = st.recursive(
    _scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(_keys, children, max_size=5)
    ),
    max_leaves=12,
)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(kind=st.sampled_from(RESOURCE_KINDS), data=st.dictionaries(_keys, _values, max_size=8))
@example(kind="governance", data={"id": None, "kind": None, "roles": [[]]})  # G002 crashed
@example(kind="governance", data={"approvals": True})  # required_roles crashed
def test_random_resources_never_crash_validate_or_lint(tmp_path: Path, kind: str,
                                                        data: dict) -> None:
    root = tmp_path / "ws"
    if not root.exists():
        shutil.copytree(FIXTURES / "render", root)
    data = {**data, "kind": kind}
    (root / "templates" / "random.yaml").write_text(yaml.safe_dump(data))
    ws, result = build(root)
    for f in result.findings:
        assert f.path and f.line >= 1 and f.column >= 1 and f.code
    run = lint(ws, result, LintConfig.build({}), jobs=1)
    for f in run.result.findings:
        assert f.path is not None and f.line >= 1 and f.code
