"""PDF pages as Markdown-shaped text (pypdf): headings from font size, whole sentences."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

from askbrenda.documents import Page, table_rows
from askbrenda.errors import DocumentError


def load_pdf(path: Path) -> tuple[str, list[Page], dict[str, str]]:
    """Title, pages (Markdown-shaped: larger-font lines as headings) and no metadata, or a
    DocumentError saying why the PDF cannot be read."""
    from pypdf import PasswordType, PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        # A PDF locked only against printing or copying (an owner password) opens with the
        # empty user password, as in any viewer; only one that needs a password is refused.
        if reader.is_encrypted and _decrypt(reader) == PasswordType.NOT_DECRYPTED:
            raise DocumentError("PDF is encrypted: save an unprotected copy")
        # One plain-text pass per page gives both the text and the font sizes of its lines.
        read = [_pdf_headings(page) for page in reader.pages]
        texts = [_page_lines(page, plain) for page, (_, plain) in zip(reader.pages, read, strict=True)]
        running = _running_lines(texts)
        pages = []
        for number, ((headings, _), text) in enumerate(zip(read, texts, strict=True), start=1):
            edges = _edges(text)
            lines = [
                f"{'#' * headings[line.strip()]} {line.strip()}" if line.strip() in headings else line
                for i, line in enumerate(text) if i not in edges or _shape(line) not in running
            ]
            pages.append(Page("\n".join(_unwrap(lines)), number))
        title = str(reader.metadata.get("/Title") or "") if reader.metadata else ""
    except DocumentError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise DocumentError(f"PDF is damaged or truncated ({exc})") from exc
    if not any(p.text.strip() for p in pages):
        raise DocumentError("PDF has no extractable text (a scanned image?): ask for a text PDF")
    return title, pages, {}


# Bullet glyphs as PDF fonts give them back: reportlab's "\u2022" comes out as DEL, Word's
# Symbol-font bullet as a private-use character.
_BULLET = re.compile("^\\s*[\u2022\u25cf\u25aa\u25e6\u25a0\u2023\uf0b7\uf0a7\x7f]\\s*")


def _shape(line: str) -> str:
    return re.sub(r"\d+", "#", line.strip().lower())


def _decrypt(reader: Any) -> Any:
    """How the empty password opens an encrypted PDF (NOT_DECRYPTED where it does not)."""
    from pypdf import PasswordType
    from pypdf.errors import DependencyError

    try:
        return reader.decrypt("")
    except DependencyError:  # AES needs the optional cryptography package, not installed
        return PasswordType.NOT_DECRYPTED


def _edges(lines: list[str]) -> set[int]:
    """Where a running header or footer can stand: the first and last two non-blank lines,
    table rows aside. A table's header row repeats at the top of every page it runs over
    (Word's "repeat header row"), and it is content, not a running header."""
    text = [i for i, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("|")]
    return set(text[:2] + text[-2:])


def _running_lines(pages: list[list[str]]) -> set[str]:
    """Running headers and footers ("Council - Mental capacity", "Page 3 of 4"): lines among
    the first or last two of most pages, page numbers aside. The page is cited anyway; a
    line of that shape is dropped only where it stands at the page's edge (``_edges``)."""
    if len(pages) < 2:
        return set()
    edges = Counter(s for lines in pages for s in {_shape(lines[i]) for i in _edges(lines)})
    return {s for s, n in edges.items() if n > len(pages) / 2}


def _unwrap(lines: list[str]) -> list[str]:
    """Join a PDF's visual lines where a sentence runs on ("Examples include bed rails, lap
    straps," / "tilt-in-space chairs..."), so that it is quoted and read whole. A line that
    ends a sentence or a clause, a heading, and a line that starts with a capital, a bullet or
    a number (a table cell, a list item) stay as they are."""
    out: list[str] = []
    for line in lines:
        line = _BULLET.sub("- ", line)
        prev = out[-1].rstrip() if out else ""
        if (prev and not prev.startswith(("#", "|")) and prev[-1] not in ".!?:;"
                and (line[:1].islower() or _runs_on(prev, line))):
            out[-1] = f"{prev} {line.strip()}"
        else:
            out.append(line)
    return out


# Words a sentence cannot end on: the next line, even capitalised, is the same sentence.
_OPEN_ENDED = frozenset({"the", "a", "an", "of", "to", "for", "and", "or", "in", "on", "with",
                        "by", "at", "from", "as", "than", "into", "per", "via", "is", "are",
                        "be", "if", "that", "which", "who", "whose"})


def _runs_on(prev: str, line: str) -> bool:
    """Whether a line that starts with a capital still continues ``prev``: "Refer to the
    Northmoor" / "Advocacy Hub on ...". ``prev`` must be a sentence under way (four words or
    more) that stops on a word no sentence ends on, or inside a name (a capitalised word)."""
    words = prev.split()
    if len(words) < 4 or not line[:1].isupper() or line.lstrip()[:1] in "-|#":
        return False
    last = words[-1]
    return last.lower() in _OPEN_ENDED or (last[:1].isupper() and words[-2][:1].isupper()
                                           or words[-2].lower() in _OPEN_ENDED)


def _pdf_headings(page: Any) -> tuple[dict[str, int], str]:
    """Lines set in a larger font than the page's body text, mapped to a heading level, and
    the page's plain text."""
    runs: list[tuple[str, float]] = []

    def visit(text: str, cm: Any, tm: Any, font: Any, size: float) -> None:
        scale = abs(tm[3]) if tm and tm[3] else 1.0
        if text.strip():
            runs.append((text.strip(), round(size * scale, 1)))

    plain = page.extract_text(visitor_text=visit) or ""
    if not runs:
        return {}, plain
    weights: Counter[float] = Counter()
    for text, size in runs:
        weights[size] += len(text)
    body = weights.most_common(1)[0][0]
    larger = sorted({s for _, s in runs if s > body * 1.1}, reverse=True)
    return {t: min(larger.index(s) + 1, 6) for t, s in runs if s in larger and len(t) <= 120}, plain


_GAP = re.compile(r"\s{3,}")
HEADER_CHARS = 40


def _runs(line: str) -> list[tuple[int, str]]:
    """(column, text) of the pieces of a layout line set apart by three spaces or more."""
    out, at = [], 0
    for piece in _GAP.split(line.rstrip()):
        at = line.index(piece, at) if piece else at
        if piece.strip():
            out.append((at, piece.strip()))
        at += len(piece)
    return out


def _page_lines(page: Any, text: str) -> list[str]:
    """The page's lines (``text``: its plain text); a table (pypdf's layout mode shows its
    columns) as Markdown rows, one per table row, instead of one line per cell ("Attorney
    under a health and welfare")."""
    plain = text.splitlines()
    try:
        layout = page.extract_text(extraction_mode="layout").splitlines()
    except Exception:  # layout mode is newer and stricter; the plain text still reads
        return plain
    tables = _tables(layout)
    # Narrow columns of running text (a three-column leaflet) line up like a table; the plain
    # text tells them apart, being read in the order the PDF draws: a table row by row, so
    # its header before its first row, text columns one after the other, down the first.
    flat = " ".join(text.split())
    if not tables or not all(_drawn_by_rows(flat, rows) for _, rows in tables.values()):
        return plain
    out: list[str] = []
    i = 0
    while i < len(layout):
        if i in tables:
            end, rows = tables[i]
            out += ["", *table_rows(rows), ""]
            i = end
            continue
        # Elsewhere, pieces far apart on one line (a running header's title and page number)
        # are lines of their own, as in plain mode.
        out += [text for _, text in _runs(layout[i])] or ([""] if out and out[-1] else [])
        i += 1
    return out


def _tables(lines: list[str]) -> dict[int, tuple[int, list[list[str]]]]:
    """Tables in layout-mode lines, by first line: (line after the table, rows of cells). A
    table is a line of two or more pieces (its header) and at least one row whose pieces start
    at the header's columns; a line that starts in a later column continues the row above."""
    found: dict[int, tuple[int, list[list[str]]]] = {}
    i = 0
    while i < len(lines):
        header = _runs(lines[i])
        # Headers are short: two columns of running text ("Equipment is delivered within
        # seven working days of") are not a table, and plain mode reads them column by column.
        if any(len(text) > HEADER_CHARS for _, text in header):
            header = []
        cols = [c for c, _ in header]
        rows = [[t for _, t in header]]
        j = i + 1
        while len(cols) >= 2 and j < len(lines):
            pieces = _runs(lines[j])
            where = [_nearest(cols, c) for c, _ in pieces]
            if not pieces or any(abs(cols[k] - c) > 2 for k, (c, _) in zip(where, pieces, strict=True)):
                break
            # A line from the first column starts a row, unless its text runs on (lower-case:
            # "financial affairs LPA" under "Attorney under a property and") or it fills fewer
            # columns than the full row above it ("LPA" under "...health and welfare").
            runs_on = pieces[0][1][:1].islower() or (len(pieces) < len(cols) and all(rows[-1]))
            if where[0] == 0 and (len(rows) == 1 or not runs_on):
                rows.append([""] * len(cols))
            for k, (_, text) in zip(where, pieces, strict=True):
                rows[-1][k] = f"{rows[-1][k]} {text}".strip()
            j += 1
        if len(rows) >= 3 or (len(rows) == 2 and all(rows[1])):
            found[i] = (j, rows)
            i = j
        else:
            i += 1
    return found


def _drawn_by_rows(flat: str, rows: list[list[str]]) -> bool:
    """Whether the plain text (``flat``: its lines joined) gives the second header cell before
    the first row's first cell; True where it does not hold them (nothing to go on)."""
    start = flat.find(rows[0][0])
    second, first = (flat.find(" ".join(cell.split()), start) for cell in (rows[0][1], rows[1][0]))
    return min(start, second, first) < 0 or second < first


def _nearest(cols: list[int], at: int) -> int:
    return min(range(len(cols)), key=lambda k: abs(cols[k] - at))
