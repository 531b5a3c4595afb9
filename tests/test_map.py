"""`atscomms map` renders examples/acme: Mermaid, JSON and a self-contained HTML page."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from atscomms.cli.app import main
from tests.conftest import REPO

ACME = REPO / "examples" / "acme"


def run(capsys, *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(["map", "-w", str(ACME), *args])
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


def test_mermaid(capsys) -> None:
    code, out, _ = run(capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "flowchart LR"
    stages = re.findall(r'^  subgraph stage_\d+\["([^"]+)"\]$', out, re.M)
    assert stages == [
        "applied", "screening", "assessment", "interview", "offer", "hired", "rejected",
        "talent_pool",
    ]  # fmt: skip
    assert (
        '    interview_loop__main__remind_sms["SMS: interview-reminder-sms<br/>'
        'interview-loop · after 2h"]:::auto'
    ) in lines
    assert (
        '    manual__rejection_after_screen["email: rejection-after-screen<br/>'
        'sent by a person"]:::human'
    ) in lines
    assert (
        '  interview_loop__main__invite -->|"24h before interview.start_at"| '
        "interview_loop__main__remind_email"
    ) in lines
    assert (
        '  trigger_post_interview_rejection -->|"after 2 business days"| '
        "post_interview_rejection__main__reject"
    ) in lines
    # every node an edge names is declared
    declared = set(re.findall(r"^    (\w+)[\[(]", out, re.M))
    for a, b in re.findall(r"^  (\w+) -->\|[^|]*\| (\w+)$", out, re.M):
        assert a in declared and b in declared


def test_json(capsys) -> None:
    code, out, _ = run(capsys, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"workspace", "stages", "sequences", "touchpoints"}
    tps = data["touchpoints"]
    automated = sorted((t["sequence"], t["step"]) for t in tps if t["automated"])
    assert automated == [
        ("application-acknowledgement", "acknowledge"),
        ("interview-loop", "invite"),
        ("interview-loop", "remind-email"),
        ("interview-loop", "remind-sms"),
        ("interview-rescheduled", "notify-new-time"),
        ("post-interview-rejection", "reject"),
        ("talent-pool-nurture", "campus-event"),
        ("talent-pool-nurture", "campus-update"),
        ("talent-pool-nurture", "executive-approach"),
        ("talent-pool-nurture", "executive-update"),
        ("talent-pool-nurture", "general-update"),
    ]
    human = sorted((t["stage"], t["template"]) for t in tps if not t["automated"])
    assert human == [
        ("interview", "interview-confirmation"),
        ("offer", "offer-extended"),
        ("rejected", "rejection-after-screen"),
        ("screening", "screening-invite"),
    ]
    loop = next(s for s in data["sequences"] if s["id"] == "interview-loop")
    assert (loop["trigger"], loop["stage"]) == ("interview_scheduled", "interview")


def test_html_page_is_self_contained(capsys, tmp_path: Path) -> None:
    page = tmp_path / "map.html"
    code, out, _ = run(capsys, "--out", str(page))
    assert code == 0 and out == ""
    html = page.read_text()
    assert html.startswith("<!DOCTYPE html>")
    assert "where automation speaks to candidates" in html
    assert "11 automated messages in 5 sequences, 4 messages sent by people" in html
    assert "<script" not in html and "<link" not in html and "src=" not in html
    assert "http://" not in html and "https://" not in html
    assert "flowchart LR" in html  # the Mermaid source, for copying
    json_out = tmp_path / "map.json"
    run(capsys, "--out", str(json_out), "--sequence", "interview-loop")
    data = json.loads(json_out.read_text())
    assert {t["sequence"] for t in data["touchpoints"]} == {"interview-loop"}


def test_errors(capsys) -> None:
    code, _, err = run(capsys, "--sequence", "interview-lop")
    assert code == 2
    assert "unknown sequence 'interview-lop' (did you mean 'interview-loop'?)" in err
    code, _, err = run(capsys, "--format", "svg")
    assert code == 2 and "--format" in err
