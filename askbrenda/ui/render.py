"""Answer -> HTML and safe labels. No Streamlit here: plain functions, easy to test.

Everything that comes from a document, the contacts file or a user goes through
:func:`html.escape` (for ``st.html``) or :func:`md_escape` (for labels Streamlit reads as
Markdown), so a ``<script>`` tag or a Markdown image link in a guidance page is shown as text
and never fetched or run.
"""

from __future__ import annotations

import re
from collections import defaultdict
from html import escape

from askbrenda.chunking import TABLE_RULE
from askbrenda.evidence import read_row, table_cells
from askbrenda.models import Answer, Citation

SAFEGUARDING_HEADING = "Possible safeguarding concern \u2014 act today"
NOT_COVERED_HEADING = "Not covered by the guidance"
USEFUL_LABEL = "You may find these useful"
REVIEW_PREFIX = "Check this is still current."

_QUOTE = re.compile(r"\u201c([^\u201c\u201d]+)\u201d\s*\[(\d+)\]")
_MARKER = re.compile(r"\[(\d+)\]")
DOT = " \u00b7 "


def _icon(name: str, glyph: str) -> str:
    # A text glyph (st.html's sanitiser drops inline SVG); the words beside it carry the meaning.
    return f'<span class="ab-icon ab-icon-{name}" aria-hidden="true">{glyph}</span>'


ICON_WARNING = _icon("warning", "\u26a0")
ICON_INFO = _icon("info", "\u2139")
ICON_PHONE = _icon("phone", "\u260e")

_REF = r'<span class="ab-ref">[\1]</span>'
# ASCII punctuation CommonMark lets us backslash-escape, plus ":" (Streamlit's :emoji: and
# :color[...] directives) and "$" (Streamlit's LaTeX).
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:&=\"'^@])")


def md_escape(text: object) -> str:
    """Text for a Streamlit label or alert, with every Markdown construct neutralised."""
    flat = " ".join(str(text).split())
    return _MD_SPECIAL.sub(r"\\\1", flat)


def e(text: object) -> str:
    """HTML-escape anything (quotes included, for attributes)."""
    return escape(str(text), quote=True)


def tel_href(phone: str) -> str:
    """``tel:`` URL of a phone number as written in contacts.yaml ("01632 960200")."""
    digits = re.sub(r"[^\d+]", "", phone)
    return f"tel:{digits}" if digits else ""


def contacts_html(contacts: list[dict[str, str]]) -> str:
    """Each contact as a tappable phone link with hours and role below."""
    items = []
    for c in contacts:
        name, phone = c.get("name", ""), c.get("phone", "")
        href = tel_href(phone)
        if href:
            call = (f'<a class="ab-tel" href="{e(href)}">{ICON_PHONE}{e(name)}: '
                    f'<span class="ab-num">{e(phone)}</span></a>')
        else:
            call = f"<strong>{e(name)}</strong>"
        details = [e(d) for d in (c.get("hours", ""), c.get("role", "")) if d]
        email = c.get("email", "")
        if email and re.fullmatch(r"[^@\s\"'<>]+@[^@\s\"'<>]+", email):
            details.append(f'<a href="mailto:{e(email)}">{e(email)}</a>')
        more = f'<div class="ab-muted">{DOT.join(details)}</div>' if details else ""
        items.append(f"<li>{call}{more}</li>")
    return f'<ul class="ab-contacts">{"".join(items)}</ul>' if items else ""


def split_answer(answer: Answer) -> tuple[str, str]:
    """(safeguarding steps, the rest of the answer text)."""
    steps = answer.safeguarding_steps or ""
    text = answer.answer or ""
    if steps and text.startswith(steps):
        text = text[len(steps):]
    return steps, text.strip()


def safeguarding_html(answer: Answer) -> str:
    """The escalation block: heading with icon and words (not colour alone), steps, who to call."""
    steps, _ = split_answer(answer)
    lines = steps.splitlines()
    if lines and lines[0].upper().startswith("POSSIBLE SAFEGUARDING CONCERN"):
        lines = lines[1:]
    if "Who to call:" in lines:  # the contacts are shown below as tappable links
        lines = lines[:lines.index("Who to call:")]
    source = ""
    if lines and lines[0].startswith("From \u201c"):
        source, lines = lines[0].rstrip(":"), lines[1:]
    body = "\n".join(lines).strip()
    parts = [
        '<section class="ab-card ab-sg" role="alert">',
        f'<h3 class="ab-sg-h">{ICON_WARNING}{e(SAFEGUARDING_HEADING)}</h3>',
        "<p><strong>Do not wait.</strong> Follow these steps and raise the concern the same day.</p>",
    ]
    # On a phone the call buttons come first: one tap, before seven steps of reading.
    if answer.contacts:
        parts.append('<h4>Who to call</h4>' + contacts_html(answer.contacts))
    if source:
        parts.append(f'<p class="ab-muted">{e(source)}</p>')
    if body:
        parts.append(f'<div class="ab-passage">{e(body)}</div>')
    parts.append("</section>")
    return "".join(parts)


def answer_html(text: str) -> str:
    """The quoted sentences, one paragraph each, with [n] markers kept visible."""
    quotes = list(_QUOTE.finditer(text))
    if quotes and not _QUOTE.sub("", text).strip():
        paras = [f'<p>\u201c{e(m[1])}\u201d <span class="ab-ref">[{m[2]}]</span></p>'
                 for m in quotes]
    else:  # rephrased or free text: escape it all, then dress the markers
        paras = [f"<p>{_MARKER.sub(_REF, e(p))}</p>"
                 for p in text.split("\n\n") if p.strip()]
    return f'<div class="ab-answer">{"".join(paras)}</div>'


def quotes_by_citation(text: str) -> dict[int, list[str]]:
    """The sentences the answer quotes, grouped by the citation marker after each."""
    out: dict[int, list[str]] = defaultdict(list)
    for m in _QUOTE.finditer(text):
        out[int(m[2])].append(m[1])
    return dict(out)


def markers(text: str) -> set[int]:
    """The citation numbers an answer refers to."""
    return {int(n) for n in _MARKER.findall(text)}


def readable_passage(text: str) -> str:
    """Passage text as a person reads it: Markdown table rows as "Header: cell; ..." lines."""
    header: list[str] = []
    lines = []
    rows = text.splitlines()
    for i, raw in enumerate(rows):
        line = raw.rstrip()
        stripped = line.strip()
        if stripped.startswith("|"):
            if TABLE_RULE.fullmatch(stripped):
                continue
            cells = table_cells(stripped)
            # The header is the row above the |---| rule; a passage cut inside a table has none.
            if i + 1 < len(rows) and TABLE_RULE.fullmatch(rows[i + 1].strip()):
                header = cells
                continue
            line = read_row(header, cells)
        else:
            header = []
        lines.append(line)
    return "\n".join(lines).strip()


def highlight(text: str, quotes: list[str]) -> str:
    """Escaped ``text`` with each quoted sentence wrapped in <mark>."""
    spans: list[tuple[int, int]] = []
    for q in quotes:
        start = text.find(q)
        if start >= 0:
            spans.append((start, start + len(q)))
    spans.sort()
    out, pos = [], 0
    for start, end in spans:
        if start < pos:
            continue
        out += [e(text[pos:start]), f"<mark>{e(text[start:end])}</mark>"]
        pos = end
    out.append(e(text[pos:]))
    return "".join(out)


def citation_label(c: Citation) -> str:
    """Expander label: ``[n] Title — Section, page p`` (Markdown-escaped)."""
    where = ", ".join(p for p in (c.section, f"page {c.page}" if c.page else "") if p)
    label = f"[{c.n}] {c.title}" + (f" \u2014 {where}" if where else "")
    return md_escape(label)


def citation_html(c: Citation, quotes: list[str]) -> str:
    """The passage with the quoted sentences highlighted, and where it comes from."""
    meta = [c.source]
    if c.owner:
        meta.append(f"Owner: {c.owner}")
    if c.review_by:
        meta.append(f"Review by {c.review_by}")
    return (f'<div class="ab-passage">{highlight(readable_passage(c.text), quotes)}</div>'
            f'<p class="ab-muted">{DOT.join(e(m) for m in meta)}</p>')


def refusal_html(answer: Answer) -> str:
    """Not covered: says so, titles only (no passage text), who to ask."""
    _, rest = split_answer(answer)
    first = rest.splitlines()[0] if rest.strip() else "The guidance does not cover this."
    parts = [
        '<section class="ab-card ab-refused">',
        f'<h3>{ICON_INFO}{e(NOT_COVERED_HEADING)}</h3>',
        f"<p>{e(first)}</p>",
    ]
    titles = list(dict.fromkeys(c.title for c in answer.citations[:3]))
    if titles and USEFUL_LABEL.lower() in answer.answer.lower():
        parts.append(f'<h4>{e(USEFUL_LABEL)}</h4><ul class="ab-titles">'
                     + "".join(f"<li>{e(t)}</li>" for t in titles) + "</ul>")
    if answer.contacts and not answer.safeguarding:
        parts.append("<h4>Who to ask</h4>" + contacts_html(answer.contacts))
    parts.append("</section>")
    return "".join(parts)


def review_text(warning: str) -> str:
    """A review-date warning for st.warning (Markdown-escaped, with the fixed lead-in)."""
    body = re.sub(r":\s*check it is still current\.?$", ".", warning.strip(), flags=re.I)
    return f"**{REVIEW_PREFIX}** {md_escape(body)}"


def meta_caption(answer: Answer) -> str:
    """Confidence and time taken, for a small caption."""
    return (f"Confidence {answer.confidence:.0%} \u00b7 "
            f"answered in {answer.latency_ms / 1000:.1f} s")


CSS = """
<style>
/* Phone first: nothing wider than the screen, tap targets of 44px or more. */
.stMainBlockContainer, [data-testid="stChatMessageContent"], .ab-card, .ab-passage,
.ab-answer { overflow-wrap: anywhere; word-break: break-word; min-width: 0; }
[data-testid="stChatMessageContent"] { max-width: 100%; }
.stButton button, .stFormSubmitButton button, .stDownloadButton button,
[data-testid="stBaseButton-secondary"], [data-testid="stBaseButton-primary"] {
  min-height: 44px; }
[data-testid="stExpander"] summary { min-height: 44px; display: flex; align-items: center; }
.ab-card { border-radius: 0.5rem; padding: 0.75rem 0.9rem; margin: 0 0 0.25rem 0;
  border: 2px solid rgba(49, 51, 63, 0.25); }
.ab-card h3 { font-size: 1.15rem; margin: 0 0 0.4rem 0; padding: 0; line-height: 1.3; }
.ab-card h4 { font-size: 1rem; margin: 0.6rem 0 0.2rem 0; padding: 0; }
.ab-sg { border: 3px solid #b00020; background: #fff4f4; color: #1f1f1f; }
.ab-sg .ab-sg-h { color: #8a0016; }
.ab-refused { border-style: dashed; }
.ab-icon { flex: none; margin-right: 0.4rem; font-weight: 700; font-style: normal; }
.ab-card h3 { display: flex; align-items: flex-start; gap: 0.1rem; }
.ab-passage { white-space: pre-wrap; line-height: 1.5; }
.ab-answer p { margin: 0 0 0.5rem 0; line-height: 1.5; }
.ab-ref { font-size: 0.85em; font-weight: 600; white-space: nowrap; }
.ab-muted { font-size: 0.85rem; opacity: 0.75; margin: 0.2rem 0 0 0; }
.ab-contacts { list-style: none; margin: 0.2rem 0 0 0; padding: 0; }
.ab-contacts li { margin: 0 0 0.5rem 0; }
a.ab-tel { display: inline-flex; align-items: center; min-height: 44px; padding: 0.25rem 0.75rem;
  border: 2px solid currentColor; border-radius: 0.5rem; font-weight: 600; text-decoration: none; }
.ab-num { white-space: nowrap; margin-left: 0.25rem; }
.ab-titles { margin: 0.2rem 0 0 1.2rem; padding: 0; }
/* On a phone the avatar sits above the message, so the text gets the full width. */
@media (max-width: 640px) {
  [data-testid="stChatMessage"] { flex-direction: column; gap: 0.35rem; }
  [data-testid="stChatMessageContent"] { width: 100%; }
  .stMainBlockContainer { padding-left: 0.75rem; padding-right: 0.75rem; }
}
mark { background: #ffe066; color: #1f1f1f; padding: 0 0.1em; border-radius: 0.15em; }
</style>
"""
