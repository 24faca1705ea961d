"""PDFs read as Markdown-shaped pages: tables over several pages, locked files, leaflets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from askbrenda import documents
from askbrenda.errors import DocumentError


def _long_table_pdf(path: Path, rows: int, running_header: str = "") -> Path:
    """A ruled table that runs over several pages, its header row repeated on each (reportlab
    ``repeatRows``, Word's "repeat header row"); optionally under a running header and footer."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    styles = getSampleStyleSheet()
    cells = [["Equipment", "Who provides it", "Typical wait"]]
    cells += [[f"{i}. Grab rail", "Community equipment store", f"{i % 9 + 1} days"]
              for i in range(1, rows + 1)]
    grid = Table(cells, colWidths=[150, 180, 100], repeatRows=1)
    grid.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black")]))

    def running(canvas: Any, _doc: Any) -> None:
        if running_header:
            canvas.drawString(72, A4[1] - 40, running_header)
            canvas.drawString(72, 30, f"Page {canvas.getPageNumber()}")

    doc = SimpleDocTemplate(str(path), pagesize=A4, invariant=1)
    doc.build([Paragraph("Waiting times", styles["Heading1"]), grid],
              onFirstPage=running, onLaterPages=running)
    return path


@pytest.mark.parametrize("running_header", ["", "Northmoor Council - Equipment waits"])
def test_repeated_table_header_and_numbered_rows_are_kept(tmp_path: Path,
                                                          running_header: str) -> None:
    # Without a running header the table's header row is among the first two lines of every
    # page, where running headers stand; with one, that is still dropped.
    path = _long_table_pdf(tmp_path / "waits.pdf", rows=90, running_header=running_header)
    doc = documents.load(path, path.name)
    assert len(doc.pages) >= 3
    header = "| Equipment | Who provides it | Typical wait |"
    for page in doc.pages:
        lines = page.text.splitlines()
        assert header in lines, page.number  # page 1 included
        assert "Northmoor Council" not in page.text and f"Page {page.number}" not in page.text
    text = "\n".join(p.text for p in doc.pages)
    for i in (1, 2, 45, 89, 90):  # rows that differ only in their numbers all stay
        assert f"| {i}. Grab rail | Community equipment store | {i % 9 + 1} days |" in text


def _encrypted_pdf(path: Path, user: str) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    styles = getSampleStyleSheet()
    lock = StandardEncryption(user, ownerPassword="owner", canPrint=0, canCopy=0, canModify=0)
    doc = SimpleDocTemplate(str(path), pagesize=A4, encrypt=lock)
    doc.build([Paragraph("Hoist servicing", styles["Heading1"]),
               Paragraph("Hoists are serviced every six months.", styles["BodyText"])])
    return path


def test_pdf_with_only_an_owner_password_is_read(tmp_path: Path) -> None:
    # Locked against printing and copying, but it opens without a password, as in any viewer.
    path = _encrypted_pdf(tmp_path / "restricted.pdf", user="")
    doc = documents.load(path, path.name)
    assert doc.pages[0].text.splitlines() == ["# Hoist servicing",
                                              "Hoists are serviced every six months."]


def test_pdf_that_needs_a_password_is_refused(tmp_path: Path) -> None:
    path = _encrypted_pdf(tmp_path / "locked.pdf", user="secret")
    with pytest.raises(DocumentError, match="PDF is encrypted"):
        documents.load(path, path.name)


def test_three_columns_of_text_are_not_a_table(tmp_path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import BaseDocTemplate, Frame, FrameBreak, PageTemplate, Paragraph

    width, height = A4
    path = tmp_path / "leaflet.pdf"
    leaflet = BaseDocTemplate(str(path), pagesize=A4)
    third = (width - 120) / 3  # columns narrower than a table header's longest cell
    leaflet.addPageTemplates([PageTemplate(frames=[
        Frame(40 + k * (third + 20), 40, third, height - 80) for k in range(3)])])
    styles = getSampleStyleSheet()
    text = ("{0} is delivered within seven working days of the order being placed, and urgent "
            "items the next working day when ordered before noon. ") * 3
    story: list = []
    for heading, what in (("Deliveries", "Equipment"), ("Collections", "Stock"),
                          ("Repairs", "Hoists")):
        story += [Paragraph(heading, styles["Heading1"]),
                  Paragraph(text.format(what), styles["BodyText"]), FrameBreak()]
    leaflet.build(story)
    page = documents.load(path, path.name).pages[0].text
    assert "|" not in page
    lines = page.splitlines()
    for heading, what in (("Deliveries", "Equipment"), ("Collections", "Stock"),
                          ("Repairs", "Hoists")):
        assert f"# {heading}" in lines
        assert text.format(what).strip() in lines


def test_a_sentence_that_wraps_before_a_capital_is_joined() -> None:
    from askbrenda.pdf import _unwrap

    assert _unwrap(["An IMCA may be instructed. Refer to the Northmoor",
                    "Advocacy Hub on 01632 960860."]) == [
        "An IMCA may be instructed. Refer to the Northmoor Advocacy Hub on 01632 960860."]
    assert _unwrap(["check that it is registered with the Office of the Public",
                    "Guardian. Keep a copy."]) == [
        "check that it is registered with the Office of the Public Guardian. Keep a copy."]
    # a sentence that has ended, a short label, a list item and a heading stay apart
    for lines in (["The team meets on Monday.", "Bring your notes."],
                  ["Contact the", "Team"], ["Before the visit, check with the", "- Duty desk"],
                  ["# Advocacy and the", "Hub"]):
        assert _unwrap(lines) == lines
