"""The touchpoint map as one self-contained HTML page (no scripts, no network)."""

from __future__ import annotations

from html import escape

from atscomms.simulation.touchpoints import PipelineMap, Touchpoint, detail, label, to_mermaid

CSS = """
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color: #111827; margin: 24px; }
h1 { font-size: 20px; margin: 0 0 4px; }
p.lead { color: #4b5563; margin: 0 0 16px; }
.legend span { display: inline-block; margin-right: 12px; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
th, td { border: 1px solid #e5e7eb; padding: 6px; vertical-align: top; }
th { background: #f9fafb; text-align: left; font-weight: 600; }
th.row { width: 14em; }
.tp { border-radius: 6px; padding: 4px 6px; margin: 0 0 4px; border: 1px solid; }
.tp small { display: block; opacity: .8; }
.auto { background: #dbeafe; border-color: #1d4ed8; }
.human { background: #fef3c7; border-color: #b45309; }
.alert { background: #fce7f3; border-color: #be185d; }
.trigger { color: #4b5563; font-style: italic; margin-bottom: 4px; }
pre { background: #f9fafb; padding: 12px; overflow: auto; font-size: 12px; }
"""


def _chip(tp: Touchpoint) -> str:
    cls = "alert" if tp.kind == "notify" else ("auto" if tp.automated else "human")
    return f'<div class="tp {cls}">{escape(label(tp))}<small>{escape(detail(tp))}</small></div>'


def to_html(m: PipelineMap) -> str:
    head = "".join(f"<th>{escape(s)}</th>" for s in m.stages)
    rows = []
    for seq in m.sequences:
        mine = [t for t in m.touchpoints if t.sequence == seq.id]
        cells = []
        for stage in m.stages:
            parts = []
            if stage == seq.stage:
                parts.append(f'<div class="trigger">starts on {escape(seq.trigger)}</div>')
            parts += [_chip(t) for t in mine if t.stage == stage]
            cells.append(f"<td>{''.join(parts)}</td>")
        name = f"{escape(seq.name)}<br><small>{escape(seq.id)} · automated</small>"
        rows.append(f'<tr><th class="row">{name}</th>{"".join(cells)}</tr>')
    manual = [t for t in m.touchpoints if not t.automated]
    if manual:
        cells = [
            "<td>" + "".join(_chip(t) for t in manual if t.stage == s) + "</td>" for s in m.stages
        ]
        rows.append(f'<tr><th class="row">Sent by people</th>{"".join(cells)}</tr>')
    auto = sum(1 for t in m.touchpoints if t.automated and t.kind == "send")
    alerts = sum(1 for t in m.touchpoints if t.kind == "notify")
    summary = (
        f"{auto} automated messages in {len(m.sequences)} sequences, "
        f"{len(manual)} messages sent by people, {alerts} internal alerts."
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(m.workspace)}: candidate touchpoints</title>
<style>{CSS}</style>
</head>
<body>
<h1>{escape(m.workspace)}: where automation speaks to candidates</h1>
<p class="lead">{escape(summary)}</p>
<p class="legend"><span class="tp auto">automated (a sequence sends it)</span>
<span class="tp human">human (a recruiter sends it)</span>
<span class="tp alert">internal alert</span></p>
<table>
<thead><tr><th class="row">Sequence / stage</th>{head}</tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>
<details>
<summary>Mermaid source (paste into any Mermaid renderer)</summary>
<pre>{escape(to_mermaid(m))}</pre>
</details>
</body>
</html>
"""
