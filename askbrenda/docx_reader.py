"""Word (.docx) files as Markdown-shaped text: Title and Heading styles as headings, list
styles as "- " items, tables as Markdown rows."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from askbrenda.documents import Page, metadata_from_text, table_rows
from askbrenda.errors import DocumentError

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def load_docx(path: Path) -> tuple[str, list[Page], dict[str, str]]:
    """Title, one page of text and the owner (an "Owner:" line, else the file's author)."""
    import docx

    if not zipfile.is_zipfile(path):
        raise DocumentError("not a valid Word .docx file (it is not a zip archive)")
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors...
        raise DocumentError(f"Word file is damaged ({exc})") from exc
    lines: list[str] = []
    _read_blocks(document, document.element.body, lines)
    text = "\n".join(lines)
    # The author is whoever created the file ("jbloggs"); the document names its owner.
    metadata = metadata_from_text(text)
    if document.core_properties.author:
        metadata.setdefault("owner", document.core_properties.author)
    return document.core_properties.title or "", [Page(text)], metadata


def _blocks(parent: Any) -> Iterator[Any]:
    """Paragraphs and tables in document order, with those inside content controls (w:sdt),
    which python-docx's iter_inner_content skips."""
    for child in parent:
        if child.tag in (f"{_W}p", f"{_W}tbl"):
            yield child
        elif child.tag in (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml"):
            yield from _blocks(child)


def _read_blocks(document: Any, parent: Any, lines: list[str]) -> None:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for element in _blocks(parent):
        if element.tag == f"{_W}tbl":
            rows = []
            for row in Table(element, document).rows:
                # python-docx repeats a cell merged across columns (the same w:tc each time);
                # two cells that only hold the same text ("Free", "Free") are both kept.
                tcs = [c._tc for c in row.cells]
                tcs = [tc for j, tc in enumerate(tcs) if j == 0 or tc is not tcs[j - 1]]
                rows.append(["\n".join(_text(p) for p in _blocks(tc) if p.tag == f"{_W}p")
                             for tc in tcs])
            lines.extend(["", *table_rows(rows), ""])
            continue
        paragraph = Paragraph(element, document)
        text = _text(element).strip()
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        level = re.match(r"Heading (\d)", style)
        if not text:
            pass
        elif style == "Title":
            lines.append(f"# {' '.join(text.split())}")
        elif level:
            lines.append(f"{'#' * min(int(level.group(1)) + 1, 6)} {' '.join(text.split())}")
        elif "List" in style:
            lines.append(f"- {' '.join(text.split())}")
        else:
            lines.extend(["", text, ""])
        # A text box's paragraphs follow the one it is anchored in; Word stores each box twice
        # (a drawing and an older VML fallback), so the fallback is skipped.
        for box in element.iter(f"{_W}txbxContent"):
            if not any(a.tag == _FALLBACK for a in box.iterancestors()):
                _read_blocks(document, box, lines)


def _text(element: Any) -> str:
    """A paragraph's text, tracked insertions and content controls included (python-docx reads
    only plain runs and links); deleted text (w:delText) and text boxes are left out."""
    parts = []
    for child in element:
        if child.tag == f"{_W}t":
            parts.append(child.text or "")
        elif child.tag == f"{_W}tab":
            parts.append("\t")
        elif child.tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
        elif child.tag not in (f"{_W}txbxContent", _FALLBACK, f"{_W}pPr", f"{_W}rPr"):
            parts.append(_text(child))
    return "".join(parts)
