"""Heading-aware chunks with stable, content-derived ids."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from askbrenda.config import Settings
from askbrenda.documents import LoadedDocument

_H1 = re.compile(r"^#\s+(.+?)\s*$", re.M)
_ROW = re.compile(r"^\s*\|")
TABLE_RULE = re.compile(r"\|?[-:| ]+\|?")  # a Markdown table's |---| line (stripped)
_HEADERS = [("#" * level, f"h{level}") for level in range(1, 7)]


@dataclass
class Chunk:
    """One passage of a document, as stored in the index."""

    id: str
    text: str
    source: str
    title: str
    section: str
    page: int | None
    owner: str = ""
    review_by: str = ""

    def metadata(self) -> dict[str, str | int]:
        """Chroma metadata (Chroma accepts no None values, so absent = empty/0).

        Every field but the derived text hash is part of the chunk id, so a stored chunk is
        never updated in place: live chunks change only through the manifest commit.
        """
        return {
            "source": self.source, "title": self.title, "section": self.section,
            "page": self.page or 0, "owner": self.owner, "review_by": self.review_by,
            "text_hash": text_hash(self.search_text()),
        }

    def search_text(self) -> str:
        """What both retrievers see."""
        return search_text(self.title, self.section, self.text)


def search_text(title: str, section: str, text: str) -> str:
    """The passage with its document title and section path, so both retrievers see context."""
    return f"{title}. {section}.\n{text}" if section else f"{title}.\n{text}"


def text_hash(text: str) -> str:
    """Key of the embedding cache: the same text never needs embedding twice."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def chunk_id(
    source: str, title: str, page: int | None, section: str, text: str, occurrence: int,
    owner: str, review_by: str,
) -> str:
    """Same text in the same place, with the same document metadata, gives the same id.

    The title is part of the key because it is part of what gets embedded; the owner and the
    review date because they are shown with it: new values are new chunks, written before the
    manifest commit and live only after it (the old ones are deleted then, as orphans).
    """
    key = "\x1f".join([source, title, str(page or 0), section, text, str(occurrence),
                       owner, review_by])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def split_document(doc: LoadedDocument, chunk_size: int, overlap: int) -> list[Chunk]:
    """Split by headings first, then by size; tables and list items stay whole where they fit."""
    # Imported here: an unchanged re-ingest never splits anything and should not pay for it.
    from langchain_text_splitters import MarkdownHeaderTextSplitter, RecursiveCharacterTextSplitter

    headers = MarkdownHeaderTextSplitter(_HEADERS, strip_headers=True)
    sizer = RecursiveCharacterTextSplitter(
        chunk_size=chunk_size, chunk_overlap=min(overlap, chunk_size // 2),
        separators=["\n\n", "\n", ". ", "; ", ", ", " ", ""], keep_separator="end",
    )
    chunks: list[Chunk] = []
    seen: dict[str, int] = {}
    section = ""  # carried across PDF pages: a section often continues on the next page
    carried: dict[int, str] = {}  # and the headings above it, for a page that opens deeper
    # A lone top-level heading is the document's own title, not a section.
    h1s = [m.group(1).strip() for page in doc.pages for m in _H1.finditer(page.text)]
    title_heading = h1s[0] if len(h1s) == 1 else None
    owner, review_by = doc.metadata.get("owner", ""), doc.metadata.get("review_by", "")
    for page in doc.pages:
        for part in headers.split_text(page.text):
            levels = {lvl: part.metadata[f"h{lvl}"] for lvl in range(1, 7)
                      if f"h{lvl}" in part.metadata}
            if levels:  # "#### Sizes" on page 2 is still under page 1's "## Hoists > ### Slings"
                levels = {**{k: v for k, v in carried.items() if k < min(levels)}, **levels}
                carried = levels
            path = [levels[lvl] for lvl in sorted(levels)]
            if path and ((title_heading and part.metadata.get("h1") == title_heading)
                         or path[0].strip().lower() == doc.title.strip().lower()):
                path = path[1:]  # the document's own title heading is shown separately
            if part.metadata or page.number is None:
                section = " > ".join(p.strip() for p in path)
            for text in with_table_header(part.page_content, sizer.split_text(part.page_content)):
                text = text.strip()
                if not text:
                    continue
                key = f"{page.number}|{section}|{text}"
                seen[key] = seen.get(key, 0) + 1
                chunks.append(Chunk(
                    id=chunk_id(doc.source, doc.title, page.number, section, text, seen[key],
                                owner, review_by),
                    text=text, source=doc.source, title=doc.title, section=section,
                    page=page.number, owner=owner, review_by=review_by,
                ))
    return chunks


def with_table_header(content: str, texts: list[str]) -> list[str]:
    """``texts`` (pieces of ``content``), each piece that starts inside a Markdown table given
    the table's header row: without it a reader takes the first row for the header, and a
    quote says "Flood detector: Automatic pill dispenser"."""
    lines = content.splitlines()
    header: dict[str, str] = {}  # a row's (stripped) text -> its table's header and rule lines
    current = ""
    for i, line in enumerate(lines):
        if not _ROW.match(line):
            current = ""
            continue
        if not _is_rule(line) and i + 1 < len(lines) and _is_rule(lines[i + 1]):
            current = f"{line.strip()}\n{lines[i + 1].strip()}"
        header.setdefault(line.strip(), current)
    out = []
    for text in texts:
        first = text.split("\n", 1)[0].strip()
        top = header.get(first, "") if _ROW.match(first) else ""
        if top and not top.startswith(first + "\n") and top != first:
            # a piece starting on the rule line only lacks the header row itself
            text = f"{top.split(chr(10))[0]}\n{text}" if _is_rule(first) else f"{top}\n{text}"
        out.append(text)
    return out


def _is_rule(line: str) -> bool:
    return TABLE_RULE.fullmatch(line.strip()) is not None


# Bump when loading or chunking changes what a file turns into: every file is then re-read
# (vectors of unchanged passages are still reused).
# 3: Markdown inline markup read as plain text; 4: PDF lines unwrapped, web page chrome dropped,
# front matter in text files, sections kept in files with no title heading; 5: a table's header
# row repeated in each chunk that starts inside the table; 6: web pages, Word files and PDFs read
# as reviewed on 2026-11-28 (html_reader, docx_reader, pdf); 7: plain text's sub-headings
PIPELINE_VERSION = 7


def pipeline_id(settings: Settings) -> str:
    """What, besides a file's bytes, decides its chunks."""
    return f"v{PIPELINE_VERSION}/size={settings.chunk_size}/overlap={settings.chunk_overlap}"
