"""Turn one file into Markdown-shaped text per page, with its title and front matter.

Every format is normalised to Markdown headings (``#``..``######``) so one heading-aware
splitter serves all of them. Failures raise :class:`DocumentError` with a plain reason.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from askbrenda.errors import DocumentError

SUPPORTED = {".md", ".markdown", ".txt", ".pdf", ".docx", ".html", ".htm"}
# Curator configuration files live in the folder but are not guidance.
CONFIG_FILES = {"glossary.yaml", "contacts.yaml"}
_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*(?:\n|\Z)", re.S)


@dataclass
class Page:
    """Markdown-shaped text of one page (``number`` is None for formats without pages)."""

    text: str
    number: int | None = None


@dataclass
class LoadedDocument:
    """One knowledge file, read and normalised."""

    source: str
    title: str
    pages: list[Page]
    metadata: dict[str, str] = field(default_factory=dict)


def file_hash(path: Path) -> str:
    """sha256 of the file's bytes: the key for incremental sync."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load(path: Path, source: str) -> LoadedDocument:
    """Read ``path`` (shown to users as ``source``) or raise DocumentError saying why not."""
    suffix = path.suffix.lower()
    if path.stat().st_size == 0:
        raise DocumentError("file is empty")
    loader = {
        ".md": _load_markdown, ".markdown": _load_markdown, ".txt": _load_text,
        ".pdf": _load_pdf, ".docx": _load_docx, ".html": _load_html, ".htm": _load_html,
    }.get(suffix)
    if loader is None:
        raise DocumentError(f"unsupported file type {suffix or '(none)'}")
    title, pages, metadata = loader(path)
    if not any(p.text.strip() for p in pages):
        raise DocumentError("no text found in the file")
    title = title or _first_heading(pages) or _title_from_name(path)
    for key, value in metadata_from_text(pages[0].text).items():
        metadata.setdefault(key, value)
    due = review_date(metadata.get("review_by", ""))
    if due is not None:
        metadata["review_by"] = due.isoformat()  # an unreadable one is kept for the report
    return LoadedDocument(source=source, title=title.strip(), pages=pages, metadata=metadata)


_META_LINE = {
    "owner": re.compile(r"\bOwner:\s*(.+?)(?:\.\s|\s{2,}|\n|$)", re.I),
    "reviewed": re.compile(r"\bReviewed:\s*(\d{4}-\d{2}-\d{2})", re.I),
    "review_by": re.compile(r"\bReview by:\s*(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/\d{2,4}"
                           r"|(?:\d{1,2} )?[A-Z][a-z]+ \d{4})", re.I),
}
# Review dates as curators write them; a month alone is due on its first day.
_DATE_FORMATS = ("%Y-%m-%d", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y", "%d/%m/%y",
                 "%d %B %Y", "%d %b %Y", "%B %Y", "%b %Y", "%Y-%m")


def review_date(value: str) -> dt.date | None:
    """A review date written any usual UK way ("2027-3-31", "31/03/2027", "31 March 2027",
    "March 2027"), or None when it cannot be read."""
    text = re.sub(r"\s+", " ", value).strip().rstrip(".")
    for form in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, form).date()
        except ValueError:
            continue
    return None


def metadata_from_text(text: str) -> dict[str, str]:
    """Owner and review dates written near the top ("Owner: ... Review by: 2027-04-15"),
    the usual place in formats without front matter."""
    head = "\n".join(text.splitlines()[:20])
    found = {key: m.group(1).strip() for key, rx in _META_LINE.items() if (m := rx.search(head))}
    return found


def _title_from_name(path: Path) -> str:
    return re.sub(r"[-_]+", " ", path.stem).strip().capitalize()


def _first_heading(pages: list[Page]) -> str:
    from markdown_it import MarkdownIt

    # Parsed, not matched line by line: "# install" in a ``` code block is no heading.
    parser = MarkdownIt("commonmark")
    for page in pages:
        tokens = parser.parse(page.text)
        for opening, inline in zip(tokens, tokens[1:], strict=False):
            if opening.type == "heading_open":
                return inline.content
    return ""


def decode(path: Path) -> str:
    data = path.read_bytes()
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DocumentError("file is binary, not text")
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16")
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(
            f"text is not valid UTF-8 (byte {exc.start}): save the file as UTF-8"
        ) from exc


def _front_matter(text: str) -> tuple[dict[str, str], str]:
    """The YAML front matter's fields (title, owner, review_by...) and the text after it."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    try:
        # Every value as typed (BaseLoader): YAML would read "review_by: 2027-02-30" as a date
        # and fail the file; kept as text, review_date() reads it or ingest warns.
        front = yaml.load(match.group(1), Loader=yaml.BaseLoader) or {}
    except yaml.YAMLError as exc:
        raise DocumentError(f"front matter is not valid YAML: {exc}") from exc
    if not isinstance(front, dict):
        raise DocumentError("front matter must be 'key: value' lines")
    return {str(k): str(v) for k, v in front.items()}, text[match.end():]


def _load_markdown(path: Path) -> tuple[str, list[Page], dict[str, str]]:
    metadata, text = _front_matter(decode(path))
    return metadata.pop("title", ""), [Page(_plain_inline(_atx_headings(text)))], metadata


def _atx_headings(text: str) -> str:
    """Setext headings (a line underlined with === or ---) written as "# ..." lines, the only
    kind the splitter knows; markdown-it finds them (a "---" after a blank line is a rule)."""
    from markdown_it import MarkdownIt

    lines = text.split("\n")
    tokens = MarkdownIt("commonmark").parse(text)
    for opening, inline in reversed(list(zip(tokens, tokens[1:], strict=False))):
        if opening.type == "heading_open" and opening.markup in ("=", "-") and opening.map:
            start, end = opening.map
            lines[start:end] = [f"{'#' * int(opening.tag[1])} {' '.join(inline.content.split())}"]
    return "\n".join(lines)


def _plain_inline(text: str) -> str:
    """Markdown with its inline markup read as the reader sees it: "**6 weeks**" is quoted
    and matched as "6 weeks", "[the form](https://...)" as "the form". Each line is parsed
    on its own, so headings, list markers and table pipes stay for the splitter."""
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark")
    lines = []
    for line in text.split("\n"):
        if not re.search(r"[*_`\[\\<]", line):
            lines.append(line)
            continue
        indent = line[:len(line) - len(line.lstrip())]
        tokens = parser.parseInline(line.strip())[0].children or []
        lines.append(indent + "".join(
            " " if t.type in ("softbreak", "hardbreak") else t.content
            for t in tokens if t.type in ("text", "code_inline", "html_inline", "image",
                                          "softbreak", "hardbreak")))
    return "\n".join(lines)


def _load_text(path: Path) -> tuple[str, list[Page], dict[str, str]]:
    # Front matter as in Markdown; its closing "---" would otherwise underline a heading.
    metadata, text = _front_matter(decode(path))
    lines = text.splitlines()
    # The next non-blank line after each line, found in one pass from the end (a sub-heading
    # stands over a longer paragraph): scanning forward from every line was quadratic.
    following = [""] * len(lines)
    for i in range(len(lines) - 2, -1, -1):
        after = lines[i + 1].strip()
        following[i] = after or following[i + 1]
    out: list[str] = []
    for i, line in enumerate(lines):
        stripped = line.strip()
        underline = lines[i + 1].strip() if i + 1 < len(lines) else ""
        if stripped and re.fullmatch(r"=+|-+", stripped) and out and out[-1].startswith("#"):
            continue  # the underline of a heading already emitted
        if stripped and len(underline) >= 3 and re.fullmatch(r"=+", underline):
            out.append(f"# {stripped}")
        elif (stripped and len(underline) >= 3 and re.fullmatch(r"-+", underline)) \
                or _is_caps_heading(stripped):
            out.append(f"## {stripped}")
        elif _is_sub_heading(stripped, lines[i - 1].strip() if i else "", underline,
                             following[i]):
            out.append(f"### {stripped}")
        else:
            out.append(line)
    return metadata.pop("title", ""), [Page("\n".join(out))], metadata


def _is_sub_heading(line: str, before: str, after: str, following: str) -> bool:
    """A short line on its own, capitalised and unpunctuated, over a paragraph or a list:
    plain-text guidance's sub-headings ("Journey times", "Route 1: Allocated practitioner
    referral"), so that the topics under one capitals heading become sections of their own."""
    return (bool(line) and not before and not after and bool(following)
            and line[0].isupper() and len(line) <= 70 and len(line.split()) <= 10
            and not line.endswith((".", ",", ";", ":", "!", "?")) and "  " not in line
            and not _is_caps_heading(following) and len(following) > len(line))


def _is_caps_heading(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 3 and len(line) <= 80 and line.upper() == line and not line.endswith(".")


def _load_pdf(path: Path) -> tuple[str, list[Page], dict[str, str]]:
    from askbrenda.pdf import load_pdf  # here: askbrenda.pdf builds on this module's Page

    return load_pdf(path)


def _load_docx(path: Path) -> tuple[str, list[Page], dict[str, str]]:
    from askbrenda.docx_reader import load_docx  # here: it builds on this module's Page

    return load_docx(path)


def table_rows(rows: list[list[str]]) -> list[str]:
    """Markdown table lines, the first row the header; every cell kept, equal ones included."""
    out = []
    for i, row in enumerate(rows):
        cells = [c.strip().replace("\n", " ").replace("|", "/") for c in row]
        out.append("| " + " | ".join(cells) + " |")
        if i == 0:
            out.append("|" + "---|" * len(cells))
    return out


def _load_html(path: Path) -> tuple[str, list[Page], dict[str, str]]:
    from askbrenda.html_reader import load_html  # here: it builds on this module's Page

    return load_html(path)
