"""Build the binary sample documents in knowledge/ from our own text.

The sources are Markdown files in scripts/sample_sources/ (deliberately outside knowledge/, so the
loader never sees them twice). Each has YAML front matter with title, owner, reviewed, review_by and
output; the output's extension picks the format:

    .docx  python-docx: Word "Heading 1/2/3" styles, bullet paragraphs, a "Table Grid" table
    .pdf   reportlab platypus: Heading paragraphs, tables, a page break at each "[pagebreak]" line

Only a small Markdown subset is understood: "#", "##", "###" headings, paragraphs, "- " bullets,
"1. " numbered items, pipe tables and "[pagebreak]".

The build is deterministic: reportlab runs with invariant=1, and the DOCX core properties and zip
entry timestamps are fixed, so rebuilding from unchanged sources gives identical bytes.

    python scripts/build_samples.py            # writes knowledge/telecare.docx and the PDF
    python scripts/build_samples.py --check    # exit 1 if a rebuilt file differs
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import re
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

import yaml

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "scripts" / "sample_sources"
KNOWLEDGE = ROOT / "knowledge"
FIXED_TIME = dt.datetime(2026, 1, 1, 9, 0, 0, tzinfo=dt.UTC)


# --------------------------------------------------------------------------- parsing


@dataclass
class Block:
    kind: str  # heading | para | bullet | number | table | pagebreak
    text: str = ""
    level: int = 0
    rows: list[list[str]] = field(default_factory=list)


def parse_source(path: Path) -> tuple[dict, list[Block]]:
    raw = path.read_text(encoding="utf-8")
    m = re.match(r"^---\n(.*?)\n---\n", raw, re.S)
    if not m:
        raise SystemExit(f"{path}: missing YAML front matter")
    meta = yaml.safe_load(m.group(1))
    for key in ("title", "owner", "reviewed", "review_by", "output"):
        if key not in meta:
            raise SystemExit(f"{path}: front matter lacks {key!r}")
    body = raw[m.end() :]

    blocks: list[Block] = []
    para: list[str] = []
    table: list[list[str]] = []

    def flush() -> None:
        if para:
            blocks.append(Block("para", " ".join(para)))
            para.clear()
        if table:
            rows = [r for r in table if not all(re.fullmatch(r":?-{3,}:?", c) for c in r)]
            blocks.append(Block("table", rows=rows))
            table.clear()

    for line in body.splitlines():
        s = line.strip()
        if not s:
            flush()
        elif s == "[pagebreak]":
            flush()
            blocks.append(Block("pagebreak"))
        elif s.startswith("|"):
            if para:
                flush()
            table.append([c.strip() for c in s.strip("|").split("|")])
        elif h := re.match(r"^(#{1,3})\s+(.*)$", s):
            flush()
            blocks.append(Block("heading", h.group(2), level=len(h.group(1))))
        elif s.startswith("- "):
            flush()
            blocks.append(Block("bullet", s[2:]))
        elif n := re.match(r"^(\d+)\.\s+(.*)$", s):
            flush()
            blocks.append(Block("number", n.group(2), level=int(n.group(1))))
        else:
            if table:
                flush()
            para.append(s)
    flush()
    return meta, blocks


def meta_line(meta: dict) -> str:
    return f"Owner: {meta['owner']}. Reviewed: {meta['reviewed']}. Review by: {meta['review_by']}."


# --------------------------------------------------------------------------- DOCX


def build_docx(meta: dict, blocks: list[Block]) -> bytes:
    from docx import Document
    from docx.shared import Cm

    doc = Document()
    cp = doc.core_properties
    cp.title = meta["title"]
    cp.author = meta["owner"]
    cp.last_modified_by = meta["owner"]
    cp.subject = "Northmoor Borough Council adult social care practice guidance"
    cp.keywords = f"reviewed={meta['reviewed']}; review_by={meta['review_by']}"
    cp.comments = meta_line(meta)
    cp.created = FIXED_TIME.replace(tzinfo=None)
    cp.modified = FIXED_TIME.replace(tzinfo=None)
    cp.last_printed = FIXED_TIME.replace(tzinfo=None)
    cp.revision = 1

    first_heading = True
    for b in blocks:
        if b.kind == "heading":
            doc.add_heading(b.text, level=b.level)
            if first_heading and b.level == 1:
                doc.add_paragraph(meta_line(meta))
                first_heading = False
        elif b.kind == "para":
            doc.add_paragraph(b.text)
        elif b.kind == "bullet":
            doc.add_paragraph(b.text, style="List Bullet")
        elif b.kind == "number":
            # Literal numbers: Word's "List Number" style would continue numbering across lists.
            p = doc.add_paragraph(f"{b.level}. {b.text}")
            p.paragraph_format.left_indent = Cm(0.63)
        elif b.kind == "table":
            ncols = len(b.rows[0])
            t = doc.add_table(rows=0, cols=ncols)
            t.style = "Table Grid"
            for i, row in enumerate(b.rows):
                cells = t.add_row().cells
                for j, text in enumerate(row):
                    cells[j].text = text
                    if i == 0:
                        for run in cells[j].paragraphs[0].runs:
                            run.bold = True
        elif b.kind == "pagebreak":
            doc.add_page_break()

    buf = io.BytesIO()
    doc.save(buf)
    return _fix_zip_times(buf.getvalue())


def _fix_zip_times(data: bytes) -> bytes:
    """Rewrite a zip with fixed entry timestamps so the bytes do not depend on the clock."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()


# --------------------------------------------------------------------------- PDF


def build_pdf(meta: dict, blocks: list[Block]) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import (
        PageBreak,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    styles = getSampleStyleSheet()
    body = styles["BodyText"]
    cell = ParagraphStyle("Cell", parent=body, fontSize=9, leading=11)
    cell_head = ParagraphStyle("CellHead", parent=cell, fontName="Helvetica-Bold")
    bullet = ParagraphStyle("Bullet", parent=body, leftIndent=14, bulletIndent=4)
    heading = {1: styles["Heading1"], 2: styles["Heading2"], 3: styles["Heading3"]}

    story: list = []
    first_heading = True
    for b in blocks:
        if b.kind == "heading":
            story.append(Paragraph(escape(b.text), heading[b.level]))
            if first_heading and b.level == 1:
                story.append(Paragraph(escape(meta_line(meta)), body))
                first_heading = False
        elif b.kind == "para":
            story.append(Paragraph(escape(b.text), body))
        elif b.kind == "bullet":
            story.append(Paragraph(escape(b.text), bullet, bulletText="\u2022"))
        elif b.kind == "number":
            story.append(Paragraph(escape(b.text), bullet, bulletText=f"{b.level}."))
        elif b.kind == "table":
            width = A4[0] - 4 * cm
            ncols = len(b.rows[0])
            data = [
                [Paragraph(escape(c), cell_head if i == 0 else cell) for c in row]
                for i, row in enumerate(b.rows)
            ]
            t = Table(data, colWidths=[width / ncols] * ncols, repeatRows=1)
            t.setStyle(
                TableStyle(
                    [
                        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde6ee")),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ]
                )
            )
            story.extend([Spacer(1, 4), t, Spacer(1, 8)])
        elif b.kind == "pagebreak":
            story.append(PageBreak())

    def footer(canvas, doc_) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(2 * cm, 1.2 * cm, f"Northmoor Borough Council - {meta['title']}")
        canvas.drawRightString(A4[0] - 2 * cm, 1.2 * cm, f"Page {doc_.page}")
        canvas.restoreState()

    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
        title=meta["title"],
        author=meta["owner"],
        subject=meta_line(meta),
        creator="scripts/build_samples.py",
        keywords=f"reviewed={meta['reviewed']}; review_by={meta['review_by']}",
        invariant=1,
    )
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buf.getvalue()


# --------------------------------------------------------------------------- main


BUILDERS = {".docx": build_docx, ".pdf": build_pdf}


def build_all(check: bool = False) -> int:
    changed = 0
    for src in sorted(SOURCES.glob("*.md")):
        meta, blocks = parse_source(src)
        out = KNOWLEDGE / meta["output"]
        builder = BUILDERS.get(out.suffix)
        if builder is None:
            raise SystemExit(f"{src}: unsupported output {out.name}")
        data = builder(meta, blocks)
        same = out.exists() and out.read_bytes() == data
        if check:
            print(f"{'ok' if same else 'DIFFERS'}  {out.relative_to(ROOT)}")
            changed += not same
        else:
            out.write_bytes(data)
            status = "unchanged" if same else "wrote"
            print(f"{status}  {out.relative_to(ROOT)} ({len(data)} bytes)")
    return changed


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--check", action="store_true", help="compare instead of writing")
    args = ap.parse_args(argv)
    return 1 if build_all(check=args.check) and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
