"""Self-contained HTML reports: one file that opens offline (no CDN, no external file), with
text, sortable tables, embedded charts and the run's manifest.

Generic, so that every verb builds its report the same way::

    write_report("out/report.html", "june_2020_replay: 200 runs", [
        Section("What happened", ["Markdown **text**", table_frame]),
        Section("Charts", [figure, Path("out/overview.png")]),
        Section("Manifest", [manifest_dict]),
    ])

A section's parts may be Markdown text (``str``), a table (``pandas.DataFrame``; its columns
sort on click), a matplotlib ``Figure`` (embedded as inline SVG), an image file (``Path`` to a
PNG or SVG, embedded as a ``data:`` URI) or a mapping (shown as JSON, e.g. the manifest).

Reports quote user files (scenario, actor, sweep and calibration names, questions, event
notes), so nothing in them can run or disguise itself: every report's Markdown goes through
:func:`markdown_html` (raw HTML shown as text, links and images only to ``http``, ``https``,
``mailto`` or relative addresses), headings, tables and JSON are HTML-escaped, and control
characters anywhere in the page are written as visible escapes
(:func:`leverage_sim.files.safe_text.visible`).
"""

from __future__ import annotations

import base64
import html
import io
import json
import re
import xml.etree.ElementTree as etree
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import markdown
import pandas as pd
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from matplotlib.figure import Figure

from leverage_sim.errors import InputError
from leverage_sim.files.safe_text import visible
from leverage_sim.files.version import installed_version

Part = str | pd.DataFrame | Figure | Path | Mapping[str, Any]

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:1100px;margin:2em auto;
padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.6em;border-bottom:2px solid #ccc}h2{font-size:1.25em;margin-top:2em}
table{border-collapse:collapse;margin:1em 0;font-size:.9em}
th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}
th{background:#f2f2f2}table.sortable th{cursor:pointer;user-select:none}
table.sortable td{text-align:right}table.sortable td:first-child{text-align:left}
th.asc::after{content:" \\25B2"}th.desc::after{content:" \\25BC"}
figure{margin:1em 0}figure svg,figure img{max-width:100%;height:auto}
figcaption,.note{color:#555;font-size:.9em}pre{background:#f6f6f6;padding:1em;overflow:auto}
nav a{margin-right:1em}
"""

SORT_SCRIPT = """
document.querySelectorAll("table.sortable th").forEach(function(th){
 th.addEventListener("click",function(){
  var table=th.closest("table"),body=table.tBodies[0],
   i=Array.prototype.indexOf.call(th.parentNode.children,th);
  var asc=!th.classList.contains("asc");
  table.querySelectorAll("th").forEach(function(h){h.classList.remove("asc","desc")});
  th.classList.add(asc?"asc":"desc");
  var key=function(r){var t=r.children[i].textContent.trim(),n=parseFloat(t.replace(/[%,]/g,""));
   return isNaN(n)?t:n};
  Array.from(body.rows).sort(function(a,b){var x=key(a),y=key(b);
   var c=(typeof x===typeof y)?(x<y?-1:x>y?1:0):(typeof x==="number"?-1:1);return asc?c:-c})
   .forEach(function(r){body.appendChild(r)});
 });
});
"""
"""Click a column header to sort the table by it (numbers numerically, text alphabetically)."""


SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
"""URL schemes a link or image in report Markdown may use (besides relative addresses)."""
_SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):")
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f-\x9f]")
"""What browsers drop from a URL before reading its scheme (so ``java\tscript:`` counts)."""


def safe_url(url: str) -> bool:
    """True if ``url`` is relative or uses one of :data:`SAFE_SCHEMES` (character references
    and the spaces and controls a browser ignores are resolved first)."""
    text = _IGNORED_IN_URL.sub("", html.unescape(url)).lower()
    scheme = _SCHEME.match(text)
    return scheme is None or scheme.group(1) in SAFE_SCHEMES


class _SafeLinks(Treeprocessor):
    """Removes ``href`` and ``src`` attributes whose URL is not :func:`safe_url`."""

    def run(self, root: etree.Element) -> None:
        for elem in root.iter():
            for attr in ("href", "src"):
                if elem.get(attr) is not None and not safe_url(elem.get(attr)):
                    del elem.attrib[attr]


class _SafeMarkdown(Extension):
    """Raw HTML off (block and inline HTML become text) and :class:`_SafeLinks` last."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_SafeLinks(md), "safe_links", -10)  # after "unescape"


def markdown_html(text: str) -> str:
    """Markdown ``text`` (tables allowed) as HTML that cannot run code: raw HTML is shown as
    text, links and images to other than :func:`safe_url` addresses lose their address."""
    return markdown.markdown(text, extensions=["tables", _SafeMarkdown()])


@dataclass
class Section:
    """A heading and its parts, in order (see the module docstring for the kinds of part)."""

    heading: str
    parts: Sequence[Part] = field(default_factory=list)


def figure_svg(fig: Figure) -> str:
    """The figure as inline SVG markup (text kept as text, so it stays small and sharp)."""
    import matplotlib

    buf = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        fig.savefig(buf, format="svg", bbox_inches="tight")
    svg = buf.getvalue()
    return svg[svg.index("<svg"):]


def _image(path: Path) -> str:
    kinds = {".png": "image/png", ".svg": "image/svg+xml", ".jpg": "image/jpeg",
             ".jpeg": "image/jpeg"}
    kind = kinds.get(path.suffix.lower())
    if kind is None or not path.is_file():
        raise InputError(f"Cannot embed '{path}' in a report: give an existing PNG, SVG or "
                         "JPEG file.")
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f'<img src="data:{kind};base64,{data}" alt="{html.escape(path.stem)}">'


def _table(df: pd.DataFrame) -> str:
    shown = df.copy()
    for col in shown.columns:  # counts print as integers
        if pd.api.types.is_float_dtype(shown[col]) and shown[col].dropna().mod(1).eq(0).all():
            shown[col] = shown[col].astype("Int64")
    return shown.to_html(classes="sortable", border=0, na_rep="", float_format="{:.3g}".format,
                         index=not isinstance(df.index, pd.RangeIndex))


def _part(part: Part) -> str:
    if isinstance(part, str):
        return markdown_html(part)
    if isinstance(part, pd.DataFrame):
        return _table(part)
    if isinstance(part, Figure):
        return f"<figure>{figure_svg(part)}</figure>"
    if isinstance(part, Path):
        return f"<figure>{_image(part)}<figcaption>{html.escape(part.name)}</figcaption></figure>"
    if isinstance(part, Mapping):
        text = json.dumps(part, indent=2, default=str)
        return (f"<details><summary>JSON ({len(part)} keys; click to open)</summary>"
                f"<pre>{html.escape(text)}</pre></details>")
    raise InputError(f"A report part must be Markdown text, a DataFrame, a Figure, an image "
                     f"path or a mapping; got {type(part).__name__}.")


def _anchor(i: int) -> str:
    return f"s{i}"


def render(title: str, sections: Sequence[Section]) -> str:
    """The whole report as one HTML document (see :func:`write_report`), control characters
    written as visible escapes."""
    nav = " ".join(f'<a href="#{_anchor(i)}">{html.escape(s.heading)}</a>'
                   for i, s in enumerate(sections))
    body = "\n".join(f'<section id="{_anchor(i)}"><h2>{html.escape(s.heading)}</h2>\n'
                     + "\n".join(_part(p) for p in s.parts) + "</section>"
                     for i, s in enumerate(sections))
    return visible(
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>"
        f"<h1>{html.escape(title)}</h1><nav>{nav}</nav>\n{body}\n"
        f'<p class="note">Written by leverage-sim {installed_version()}. Self-contained: opens '
        f"offline; click a table header to sort.</p><script>{SORT_SCRIPT}</script>"
        "</body></html>\n")


def write_report(path: str | Path, title: str, sections: Sequence[Section]) -> Path:
    """Write the report ``title`` with ``sections`` to ``path`` (UTF-8 HTML); returns the
    path."""
    path = Path(path)
    path.write_text(render(title, sections), encoding="utf-8")
    return path
