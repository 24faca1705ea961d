"""Fixtures: real files built on the fly, a temp data folder for every test."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from askbrenda.config import Settings, get_settings
from askbrenda.retrieve import Index

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test touches the repo's data/ folder or a developer's askbrenda.toml."""
    for name in ("KNOWLEDGE_DIR", "STORE_DIR", "CHROMA_URL", "DB_URL", "DATA_DIR",
                 "EMBEDDING_MODEL", "LLM_PROVIDER", "REFUSAL_THRESHOLD"):
        monkeypatch.delenv(f"ASKBRENDA_{name}", raising=False)
    monkeypatch.setenv("ASKBRENDA_DATA_DIR", str(tmp_path / "data"))
    # an empty settings file: a missing one named by ASKBRENDA_CONFIG is an error
    config = tmp_path / "askbrenda.toml"
    config.write_text("", encoding="utf-8")
    monkeypatch.setenv("ASKBRENDA_CONFIG", str(config))
    get_settings.cache_clear()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings over an empty knowledge folder and store in tmp_path."""
    knowledge = tmp_path / "knowledge"
    knowledge.mkdir()
    return Settings(knowledge_dir=knowledge, store_dir=tmp_path / "store",
                    data_dir=tmp_path / "data")


def md(title: str, body: str, review_by: str = "2027-06-30") -> str:
    """A Markdown guidance page with front matter."""
    return (f"---\ntitle: {title}\nowner: Test Owner, Senior OT\nreviewed: 2025-06-30\n"
            f"review_by: {review_by}\n---\n\n# {title}\n\n{body}\n")


def make_pdf(path: Path, pages: list[tuple[str, str]], title: str = "", encrypt: str = "",
             header: str = "", bullets: Sequence[str] = (),
             table: Sequence[Sequence[str]] = ()) -> Path:
    """A real PDF: one page per (heading, body) pair, headings in a larger font; optionally a
    running ``header`` with the page number on every page, and bulleted items and a ruled
    ``table`` (first row the header; cells wrap in narrow columns) on the last."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    styles = getSampleStyleSheet()
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, title=title, invariant=1)
    story: list = []
    for i, (heading, body) in enumerate(pages):
        if i:
            story.append(PageBreak())
        story += [Paragraph(heading, styles["Heading1"]), Paragraph(body, styles["BodyText"])]
    story += [Paragraph(item, styles["BodyText"], bulletText="\u2022") for item in bullets]
    if table:
        from reportlab.platypus import Table, TableStyle

        cells = [[Paragraph(c, styles["BodyText"]) for c in row] for row in table]
        grid = Table(cells, colWidths=[120] * len(table[0]))
        grid.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"),
                                  ("VALIGN", (0, 0), (-1, -1), "TOP")]))  # as Word sets them
        story.append(grid)

    def running(canvas: Any, _doc: Any) -> None:
        if header:
            canvas.drawString(72, A4[1] - 40, header)
            canvas.drawString(72, 30, f"Page {canvas.getPageNumber()}")

    doc.build(story, onFirstPage=running, onLaterPages=running)
    data = buf.getvalue()
    if encrypt:
        from pypdf import PdfReader, PdfWriter

        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
        writer.encrypt(encrypt)
        out = io.BytesIO()
        writer.write(out)
        data = out.getvalue()
    path.write_bytes(data)
    return path


def make_docx(path: Path, title: str, sections: list[tuple[str, str]],
              table: list[list[str]] | None = None) -> Path:
    """A real Word file with Heading styles, paragraphs and an optional table."""
    import docx

    document = docx.Document()
    document.core_properties.title = title
    document.add_heading(title, level=0)
    for heading, body in sections:
        document.add_heading(heading, level=1)
        document.add_paragraph(body)
    if table:
        document.add_heading("Charges", level=1)
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    document.save(str(path))
    return path


@pytest.fixture(scope="session")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Index]:
    """The repo's knowledge/ folder, ingested once into a temp store."""
    from askbrenda import ingest

    settings = Settings(knowledge_dir=REPO / "knowledge",
                        store_dir=tmp_path_factory.mktemp("store"),
                        data_dir=tmp_path_factory.mktemp("data"))
    report = ingest.run(settings, progress=False)
    assert not report.failed
    return settings, Index(settings)
