"""The gallery's index.html: every template, its pages, finding counts and filters."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from typing import Any

from atscomms.preview.pages import e, head
from atscomms.preview.views import csp

# Filters rows by channel, category, locale and "only with findings"; page links of other
# locales are hidden too. Allowed by its hash in the page's Content-Security-Policy.
SCRIPT = """(function () {
  var form = document.getElementById("filters");
  var count = document.getElementById("shown");
  function update() {
    var c = form.channel.value, k = form.category.value, l = form.locale.value;
    var p = form.problems.checked, n = 0;
    document.querySelectorAll("tbody tr").forEach(function (row) {
      var d = row.dataset;
      var show = (!c || d.channel === c) && (!k || d.category === k) &&
        (!l || (" " + d.locales + " ").indexOf(" " + l + " ") >= 0) &&
        (!p || d.problems === "1");
      row.hidden = !show;
      if (show) n++;
      row.querySelectorAll("[data-locale]").forEach(function (a) {
        a.hidden = !!l && a.dataset.locale !== l;
      });
    });
    count.textContent = n;
  }
  form.addEventListener("change", update);
  update();
})();"""
SCRIPT_HASH = "sha256-" + base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()


@dataclass(slots=True)
class Row:
    template: str
    name: str
    channel: str
    category: str
    stage: str | None
    pages: list[tuple[str, str, str]] = field(default_factory=list)  # locale, label, href
    errors: int = 0
    warnings: int = 0


def _select(name: str, label: str, values: list[str]) -> str:
    options = "".join(f'<option value="{e(v)}">{e(v)}</option>' for v in values)
    return (
        f'<label>{e(label)} <select name="{e(name)}"><option value="">all</option>'
        f"{options}</select></label>"
    )


def index_page(
    title: str,
    rows: list[Row],
    locales: list[str],
    problems: list[dict[str, Any]],
    allow_remote_images: bool,
) -> str:
    out = [head(f"{title} · atscomms preview", csp(allow_remote_images, scripts=(SCRIPT_HASH,)))]
    pages = sum(len(r.pages) for r in rows)
    out.append(
        f'<header><h1>{e(title)}</h1><p class="meta">{len(rows)} templates, {pages} pages '
        "(template × persona × locale × variant). Views marked <em>approximation</em> "
        "imitate a client; only the desktop and mobile views are the email itself."
        "</p></header>\n<main>\n"
    )
    if problems:
        items = "".join(
            f"<li><code>{e(f['path'])}:{f['line']}:{f['column']}</code> "
            f'<span class="sev-{e(f["severity"])}">{e(f["code"])}</span> {e(f["message"])}</li>'
            for f in problems
        )
        out.append(
            '<section class="findings"><h2>Template files that could not be previewed</h2>'
            f"<ul>{items}</ul></section>\n"
        )
    out.append(
        '<form class="filters" id="filters">'
        + _select("channel", "Channel", sorted({r.channel for r in rows}))
        + _select("category", "Category", sorted({r.category for r in rows}))
        + _select("locale", "Locale", locales)
        + '<label><input type="checkbox" name="problems"> only with findings</label>'
        + f'<span class="note"><span id="shown">{len(rows)}</span> shown</span></form>\n'
    )
    body = []
    for r in rows:
        links = " ".join(
            f'<a data-locale="{e(loc)}" href="{e(href)}">{e(loc)} · {e(label)}</a>'
            for loc, label, href in r.pages
        )
        counts = (
            (f'<span class="count-error">{r.errors} error(s)</span> ' if r.errors else "")
            + (f'<span class="count-warning">{r.warnings} warning(s)</span>' if r.warnings else "")
        ) or "none"
        first = r.pages[0][2] if r.pages else "#"
        body.append(
            f'<tr data-channel="{e(r.channel)}" data-category="{e(r.category)}" '
            f'data-locales="{e(" ".join(sorted({p[0] for p in r.pages})))}" '
            f'data-problems="{1 if r.errors or r.warnings else 0}">'
            f'<td><a href="{e(first)}"><code>{e(r.template)}</code></a><br>{e(r.name)}</td>'
            f"<td>{e(r.channel)}</td><td>{e(r.category)}</td><td>{e(r.stage or '')}</td>"
            f'<td>{counts}</td><td class="pages">{links}</td></tr>\n'
        )
    out.append(
        '<table class="index"><thead><tr><th>Template</th><th>Channel</th><th>Category</th>'
        "<th>Stage</th><th>Findings</th><th>Pages</th></tr></thead>\n<tbody>\n"
        + "".join(body)
        + "</tbody></table>\n"
    )
    out.append(f"</main><script>{SCRIPT}</script></body></html>\n")
    return "".join(out)
