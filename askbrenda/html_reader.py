"""Web pages as Markdown-shaped text: the page's main content, its headings, paragraphs,
lists and tables; the site's navigation, banner, footer and forms left out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from askbrenda.documents import Page, decode, table_rows

# Written out whole with all they hold (a list item with its sub-list, a <dd> with its <p>);
# the containers around them (<div>, <section>, <details>...) are walked into.
_HTML_BLOCKS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "table", "pre", "dt", "dd",
                "blockquote", "summary", "figcaption"}
# Text-level elements: their words run on in the sentence around them.
_HTML_INLINE = {"a", "abbr", "b", "bdi", "bdo", "button", "cite", "code", "data", "del", "dfn",
                "em", "font", "i", "img", "input", "ins", "kbd", "label", "mark", "q", "s",
                "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr"}


def load_html(path: Path) -> tuple[str, list[Page], dict[str, str]]:
    """Title, one page of text and the owner and review dates from <meta> tags."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(decode(path), "html.parser")
    for tag in soup(["script", "style", "noscript", "template", "nav", "footer", "select",
                     "textarea"]):
        tag.decompose()
    for br in soup.find_all("br"):
        br.replace_with(" ")
    # A search box or feedback form is not guidance, but ASP.NET wraps the whole page in one
    # <form>: a form holding <main> or most of the page's text is the page.
    page_text = len((soup.body or soup).get_text(strip=True))
    for form in soup.find_all("form"):
        if not form.select_one("main, [role=main]") and len(form.get_text(strip=True)) * 2 < page_text:
            form.decompose()
    # A saved web page's content is in <main> when it says so; the site's banner, breadcrumb
    # and search box are in a <header> outside the page's own content.
    root = soup.select_one("main, [role=main]") or soup.body or soup
    for tag in root.find_all("header"):
        if not tag.find_parent(["article", "section", "main"]):
            tag.decompose()
    # The content's <h1> is the document's title (a site logo may be an <h1> too, outside it);
    # <title> often adds the site name.
    h1 = root.find("h1")
    title = h1.get_text(" ", strip=True) if h1 else ""
    if not title and soup.title:
        title = soup.title.get_text(" ", strip=True)
    lines: list[str] = []
    _html_lines(root, lines)
    metadata = {str(m["name"]).lower(): str(m.get("content", "")) for m in soup.find_all("meta")
                if m.get("name") and str(m["name"]).lower() in ("owner", "reviewed", "review_by")}
    return title, [Page("\n".join(lines))], metadata


def _html_lines(node: Any, lines: list[str]) -> None:
    """The blocks under ``node`` as Markdown lines; text sitting directly in a container
    ("<div>Call the team on ...</div>") is a paragraph of its own."""
    from bs4.element import NavigableString, PreformattedString, Tag

    run: list[str] = []

    def flush() -> None:
        text = " ".join("".join(run).split())
        if text:
            lines.extend(["", text])
        run.clear()

    for child in node.children:
        if isinstance(child, PreformattedString):  # comments, CDATA, doctype
            continue
        if isinstance(child, NavigableString):
            run.append(str(child))
        elif isinstance(child, Tag) and child.name in _HTML_BLOCKS:
            flush()
            _html_block(child, lines)
        elif isinstance(child, Tag) and child.name in _HTML_INLINE and not child.find(_HTML_BLOCKS):
            run.append(child.get_text())
        elif isinstance(child, Tag):
            flush()
            _html_lines(child, lines)
            flush()
    flush()


def _html_block(el: Any, lines: list[str]) -> None:
    if el.name == "table":
        rows = [[c.get_text(" ", strip=True) for c in tr.find_all(["td", "th"])]
                for tr in el.find_all("tr")]
        lines.extend(["", *table_rows([r for r in rows if r]), ""])
        return
    text = " ".join(el.get_text(" ", strip=True).split())
    if not text:
        return
    if el.name[0] == "h":
        lines.extend(["", f"{'#' * int(el.name[1])} {text}"])
    elif el.name == "li":
        lines.append(f"- {text}")
    else:
        lines.extend(["", text])
