"""Every format loads with its structure; chunks carry their metadata."""

from __future__ import annotations

from pathlib import Path

import pytest

from askbrenda import documents
from askbrenda.chunking import split_document
from askbrenda.errors import DocumentError
from tests.conftest import make_docx, make_pdf, md


def _chunks(path: Path, size: int = 1000):
    doc = documents.load(path, path.name)
    return doc, split_document(doc, size, 100)


def test_markdown_front_matter_and_heading_path(tmp_path: Path) -> None:
    path = tmp_path / "bath.md"
    path.write_text(md("Bathing equipment", "Intro text.\n\n## Bath lifts\n\nAbout lifts.\n\n"
                       "### Charging\n\nCharge the handset overnight.\n"), encoding="utf-8")
    doc, chunks = _chunks(path)
    assert doc.title == "Bathing equipment"
    assert doc.metadata == {"owner": "Test Owner, Senior OT", "reviewed": "2025-06-30",
                            "review_by": "2027-06-30"}
    charging = [c for c in chunks if "overnight" in c.text]
    assert len(charging) == 1
    assert charging[0].section == "Bath lifts > Charging"
    assert charging[0].review_by == "2027-06-30" and charging[0].owner.startswith("Test Owner")
    assert charging[0].source == "bath.md" and charging[0].page is None


def test_markdown_inline_markup_is_read_as_plain_text(tmp_path: Path) -> None:
    path = tmp_path / "reablement.md"
    path.write_text(md("Reablement", "## Length **of** service\n\nIt lasts **6 weeks** at most;"
                       " see [the form](https://example.org/f) and `RB1`.\n\n"
                       "- a *short* item\n- 2 * 3 = 6, snake_case stays\n"), encoding="utf-8")
    _, chunks = _chunks(path)
    text = " ".join(c.text for c in chunks)
    assert "It lasts 6 weeks at most; see the form and RB1." in text
    assert "- a short item" in text and "2 * 3 = 6, snake_case stays" in text
    assert chunks[0].section == "Length of service"


def test_text_headings_caps_and_underlined(tmp_path: Path) -> None:
    path = tmp_path / "falls.txt"
    path.write_text("Falls guide\n===========\n\nWHAT TO DO\n\nCall 999 if hurt.\n\n"
                    "Equipment\n---------\nBed rails need a risk check.\n", encoding="utf-8")
    doc, chunks = _chunks(path)
    assert doc.title == "Falls guide"
    sections = {c.section: c.text for c in chunks}
    assert "Call 999 if hurt." in sections["WHAT TO DO"]
    assert "Bed rails" in sections["Equipment"]


def test_text_sub_headings_on_their_own_line_make_sections(tmp_path: Path) -> None:
    path = tmp_path / "day.txt"
    path.write_text(
        "Day opportunities\n=================\n\nOwner: Day Services\nReview by: 2027-03-31\n\n"
        "TRANSPORT\n\nMost people make their own way.\n\n"
        "Journey times\n\nNo one should be on a vehicle for more than 60 minutes each way.\n\n"
        "Transport charge\n\nTransport is charged at £3.50 per return journey.\n\n"
        "Other points to check:\n\n- a passenger assistant where needed.\n", encoding="utf-8")
    _, chunks = _chunks(path)
    sections = {c.section: c.text for c in chunks}
    assert "60 minutes" in sections["TRANSPORT > Journey times"]
    assert "£3.50" in sections["TRANSPORT > Transport charge"]
    # A line that ends in a colon leads into its list; lines with others beside them are text.
    assert "Other points to check:" in sections["TRANSPORT > Transport charge"]
    assert "make their own way" in sections["TRANSPORT"]


def test_sections_are_kept_when_the_file_has_no_title_heading(tmp_path: Path) -> None:
    path = tmp_path / "grants.md"
    path.write_text("---\ntitle: Grants\n---\n\n## Who can apply\n\nOwners and tenants.\n\n"
                    "## How long\n\nSix months.\n", encoding="utf-8")
    _, chunks = _chunks(path)
    assert [c.section for c in chunks] == ["Who can apply", "How long"]


def test_text_front_matter_is_metadata_not_a_heading(tmp_path: Path) -> None:
    path = tmp_path / "refer.txt"
    path.write_text("---\ntitle: Duty to refer\nowner: A Manager\nreview_by: 2027-03-31\n---\n\n"
                    "WHO MUST REFER\n\nAll adult social care staff.\n", encoding="utf-8")
    doc, chunks = _chunks(path)
    assert doc.title == "Duty to refer"
    assert doc.metadata["review_by"] == "2027-03-31" and doc.metadata["owner"] == "A Manager"
    assert [c.section for c in chunks] == ["WHO MUST REFER"]
    assert "review_by" not in chunks[0].text


def test_html_drops_scripts_styles_and_keeps_tables(tmp_path: Path) -> None:
    path = tmp_path / "store.html"
    path.write_text(
        "<html><head><title>Store - Council</title><style>body{color:red}</style></head><body>"
        "<nav>Home | Links</nav><h1>Equipment store</h1><script>alert('x')</script>"
        "<h2>Delivery</h2><p>Urgent items arrive next day.</p>"
        "<table><tr><th>Priority</th><th>Target</th></tr><tr><td>Urgent</td><td>1 day</td></tr>"
        "</table><footer>Copyright</footer></body></html>", encoding="utf-8")
    doc, chunks = _chunks(path)
    text = "\n".join(c.text for c in chunks)
    assert doc.title == "Equipment store"
    assert "alert" not in text and "color:red" not in text and "Home | Links" not in text
    assert "| Urgent | 1 day |" in text
    assert {c.section for c in chunks} == {"Delivery"}


def test_html_reads_the_main_content_not_the_site_banner(tmp_path: Path) -> None:
    path = tmp_path / "grants.html"
    path.write_text(
        "<html><body><header><p>Council staff intranet</p><p>You are here: Home &gt; Grants</p>"
        "</header><main><article><header><h1>Grants</h1></header>"
        "<p>A DFG is means tested for adults.</p></article></main>"
        "<aside><p>Most read: parking permits</p></aside></body></html>", encoding="utf-8")
    doc, chunks = _chunks(path)
    text = "\n".join(c.text for c in chunks)
    assert doc.title == "Grants" and "means tested" in text
    assert "intranet" not in text and "You are here" not in text and "parking" not in text


def test_docx_headings_and_table(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "dfg.docx", "Grants guide",
                     [("Eligibility", "Owners and tenants may apply."),
                      ("Timescales", "A decision within six months.")],
                     table=[["Item", "Charge"], ["Ramp", "£0"], ["Stairlift", "£250"]])
    doc, chunks = _chunks(path)
    assert doc.title == "Grants guide"
    by_section = {c.section: c.text for c in chunks}
    assert "six months" in by_section["Timescales"]
    assert "| Stairlift | £250 |" in by_section["Charges"]


def test_pdf_pages_and_headings(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "hoists.pdf", [
        ("Slings", "Every sling is checked every six months by the store."),
        ("Hoist types", "Mobile hoists need two carers unless assessed otherwise."),
        ("Ceiling track", "Ceiling track hoists are fitted through a DFG."),
    ], title="Hoists and slings")
    doc, chunks = _chunks(path)
    assert doc.title == "Hoists and slings"
    assert [(c.page, c.section) for c in chunks] == [(1, "Slings"), (2, "Hoist types"),
                                                       (3, "Ceiling track")]
    assert "two carers" in chunks[1].text


def test_pdf_lines_read_as_sentences_without_running_headers(tmp_path: Path) -> None:
    long = ("Before you order a bath lift, check that the person can sit unsupported for ten "
            "minutes, can transfer on to the seat at rim height and understands the hand control.")
    path = make_pdf(tmp_path / "bathing.pdf", [("Bath lifts", long), ("Boards", "Boards fit most baths.")],
                    header="Northmoor Council - Bathing guidance",
                    bullets=["Bath boards are issued within 7 working days.", "Lifts take 14."])
    doc, _ = _chunks(path)
    first, last = doc.pages[0].text, doc.pages[-1].text
    assert long in first  # one sentence, not one line of it per visual line
    assert "Northmoor Council" not in first + last and "Page 2" not in last
    assert "- Bath boards are issued within 7 working days." in last.splitlines()
    assert "- Lifts take 14." in last.splitlines()


def test_pdf_table_rows_are_read_whole(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "lpa.pdf", [("Attorneys", "Who decides what.")], table=[
        ["Role", "Who appoints them", "What they can decide"],
        ["Attorney under a health and welfare LPA", "The person, while they had capacity",
         "Care and treatment, only once the person lacks capacity for that decision"],
        ["Deputy", "Court of Protection", "The decisions listed in the court order"]])
    doc, chunks = _chunks(path)
    lines = doc.pages[0].text.splitlines()
    assert "| Role | Who appoints them | What they can decide |" in lines
    assert ("| Attorney under a health and welfare LPA | The person, while they had capacity | "
            "Care and treatment, only once the person lacks capacity for that decision |") in lines
    assert "| Deputy | Court of Protection | The decisions listed in the court order |" in lines


def test_two_columns_of_text_are_not_a_table(tmp_path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph

    width, height = A4
    path = tmp_path / "leaflet.pdf"
    leaflet = BaseDocTemplate(str(path), pagesize=A4)
    half = (width - 100) / 2
    leaflet.addPageTemplates([PageTemplate(frames=[Frame(40, 40, half, height - 80),
                                                   Frame(60 + half, 40, half, height - 80)])])
    text = ("Equipment is delivered within seven working days of the order being placed, and "
            "urgent items the next working day when ordered before noon. ") * 12
    body = getSampleStyleSheet()["BodyText"]
    leaflet.build([Paragraph(text, body), Paragraph(text.replace("Equipment", "Stock"), body)])
    doc, _ = _chunks(path)
    assert "|" not in doc.pages[0].text
    assert "urgent items the next working day when ordered before noon." in doc.pages[0].text


def test_chunk_ids_are_stable_and_content_derived(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text(md("A", "## One\n\nFirst.\n\n## Two\n\nSecond."), encoding="utf-8")
    _, first = _chunks(path)
    _, again = _chunks(path)
    assert [c.id for c in first] == [c.id for c in again]
    path.write_text(md("A", "## One\n\nFirst.\n\n## Two\n\nSecond, changed."), encoding="utf-8")
    _, changed = _chunks(path)
    assert changed[0].id == first[0].id and changed[1].id != first[1].id


def test_long_sections_split_and_tables_stay_whole(tmp_path: Path) -> None:
    rows = "\n".join(f"| Item {i} | £{i * 10} |" for i in range(8))
    body = "## Prices\n\n" + "Long sentence about prices. " * 60 + f"\n\n| Item | Cost |\n|---|---|\n{rows}\n"
    path = tmp_path / "p.md"
    path.write_text(md("Prices", body), encoding="utf-8")
    _, chunks = _chunks(path, size=500)
    assert len(chunks) >= 3 and all(len(c.text) <= 500 for c in chunks)
    assert any(rows in c.text for c in chunks)


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("empty.md", b"", "file is empty"),
    ("latin1.txt", "Caf\xe9 opening hours".encode("latin-1"), "not valid UTF-8"),
    ("binary.txt", b"\x00\x01\x02binary", "binary"),
    ("fake.docx", b"this is not a zip file at all", "not a zip archive"),
    ("broken.pdf", b"%PDF-1.4\n1 0 obj garbage\n%%EOF", "PDF"),
    ("notes.xyz", b"hello", "unsupported file type"),
])
def test_bad_files_raise_plain_reasons(tmp_path: Path, name: str, content: bytes,
                                       reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DocumentError, match=reason):
        documents.load(path, name)


def test_encrypted_and_truncated_pdfs(tmp_path: Path) -> None:
    locked = make_pdf(tmp_path / "locked.pdf", [("Secret", "Hidden text.")], encrypt="pw")
    with pytest.raises(DocumentError, match="PDF is encrypted"):
        documents.load(locked, "locked.pdf")
    good = make_pdf(tmp_path / "good.pdf", [("A", "Text one."), ("B", "Text two.")])
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 3])
    with pytest.raises(DocumentError, match="PDF"):
        documents.load(cut, "cut.pdf")


def test_overlapping_chunks_of_one_section_are_merged() -> None:
    from askbrenda.ranking import Passage, merge_overlaps

    def passage(pid: str, text: str, position: int, section: str = "Lifts") -> Passage:
        return Passage(pid, text, "a.md", "A", section, None, "", "", position)

    first = passage("1", "Bath lifts are issued by the store. Charge the handset overnight.", 0)
    second = passage("2", "Charge the handset overnight. Service the lift every year.", 1)
    other = passage("3", "Unrelated section text.", 2, section="Boards")
    merged = merge_overlaps([second, other, first])
    assert [p.id for p in merged] == ["2", "3"]
    assert merged[0].text == ("Bath lifts are issued by the store. Charge the handset overnight."
                              " Service the lift every year.")


def test_a_chunk_that_starts_inside_a_table_repeats_its_header(tmp_path: Path) -> None:
    rows = "\n".join(f"| Device {i} | Does thing number {i} for the person |" for i in range(30))
    path = tmp_path / "t.md"
    path.write_text(md("Telecare", f"## Devices\n\n| Device | What it does |\n|---|---|\n{rows}\n"),
                    encoding="utf-8")
    _, chunks = _chunks(path, size=400)
    assert len(chunks) >= 3
    for chunk in chunks:
        assert chunk.text.startswith("| Device | What it does |\n|---|---|\n"), chunk.text[:80]
    # every row is still there, once per chunk it was cut into
    assert all(any(f"| Device {i} |" in c.text for c in chunks) for i in range(30))


def test_a_page_that_opens_with_a_sub_heading_keeps_the_headings_above_it() -> None:
    doc = documents.LoadedDocument("g.pdf", "Guide", [
        documents.Page("# Guide\n\n## Hoists\n\n### Slings\n\nCheck slings.", 1),
        documents.Page("#### Sizes\n\nMeasure the person.", 2),
        documents.Page("## Stairlifts\n\nRails.", 3)])
    chunks = split_document(doc, 1000, 100)
    assert [(c.page, c.section) for c in chunks] == [
        (1, "Hoists > Slings"), (2, "Hoists > Slings > Sizes"), (3, "Stairlifts")]


def test_an_impossible_review_date_is_kept_for_the_report_not_fatal(tmp_path: Path) -> None:
    # YAML reads 2027-02-30 as a date and fails; the value is kept as typed for ingest's warning
    for name in ("badges.md", "badges.txt"):
        path = tmp_path / name
        path.write_text("---\ntitle: Blue badges\nowner: A Manager\nreviewed: 2025-06-30\n"
                        "review_by: 2027-02-30\n---\n\nA badge lasts three years.\n",
                        encoding="utf-8")
        doc = documents.load(path, name)
        assert doc.metadata == {"owner": "A Manager", "reviewed": "2025-06-30",
                                "review_by": "2027-02-30"}
        assert documents.review_date(doc.metadata["review_by"]) is None
    broken = tmp_path / "broken.md"
    broken.write_text("---\ntitle: [Blue badges\n---\n\nText.\n", encoding="utf-8")
    with pytest.raises(DocumentError, match="front matter is not valid YAML"):
        documents.load(broken, "broken.md")


def test_markdown_setext_headings_and_code_fences(tmp_path: Path) -> None:
    path = tmp_path / "badges.md"
    path.write_text("Blue badges\n===========\n\nIntro.\n\nWho qualifies\n-------------\n\n"
                    "People who cannot walk far.\n", encoding="utf-8")
    doc, chunks = _chunks(path)
    assert doc.title == "Blue badges"
    assert [(c.section, c.text) for c in chunks] == [("", "Intro."), (
        "Who qualifies", "People who cannot walk far.")]
    fenced = tmp_path / "setup.md"
    fenced.write_text("```bash\n# install the app\npip install askbrenda\n```\n\n"
                      "# Hoist checks\n\nCheck slings.\n", encoding="utf-8")
    assert documents.load(fenced, "setup.md").title == "Hoist checks"


_ASPNET_PAGE = """<html><head><title>Blue badges | Northmoor Council</title></head><body>
<form method="post" action="./badges.aspx" id="aspnetForm">
<header><h1>Northmoor Council</h1><label>Search</label><input name="q"></header>
<div id="content"><h1>Blue badges</h1>
<div>A badge costs <b>£10</b>.</div>
<section>Call the team on 01234 567890</section>
<details><summary>Who qualifies</summary>People who cannot walk far.</details>
<dl><dt>Renewal</dt><dd><p>Every three years.</p></dd></dl>
<table><tr><th>Item</th><th>Blue badge</th><th>Replacement</th></tr>
<tr><td>Bath board</td><td>Free</td><td>Free</td></tr></table>
</div></form>
<form action="/feedback"><p>Was this page useful?</p><button>Yes</button></form>
</body></html>"""


def test_html_page_in_a_form_keeps_all_its_text_once(tmp_path: Path) -> None:
    path = tmp_path / "badges.html"
    path.write_text(_ASPNET_PAGE, encoding="utf-8")
    doc = documents.load(path, "badges.html")
    text = doc.pages[0].text
    assert doc.title == "Blue badges"
    for sentence in ("A badge costs £10.", "Call the team on 01234 567890",
                     "People who cannot walk far.", "| Bath board | Free | Free |"):
        assert sentence in text
    assert text.count("Every three years.") == 1
    assert "Northmoor Council" not in text and "useful" not in text


def test_html_title_comes_from_the_main_content(tmp_path: Path) -> None:
    path = tmp_path / "parking.html"
    path.write_text("<html><body><div class='logo'><h1>Northmoor Council</h1></div>"
                    "<main><h1>Parking permits</h1><p>Permits cost £40.</p></main></body></html>",
                    encoding="utf-8")
    assert documents.load(path, "parking.html").title == "Parking permits"


def _docx_xml(body: str) -> str:
    return ('<w:body xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
            'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
            'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
            'xmlns:v="urn:schemas-microsoft-com:vml">' + body + "</w:body>")


def test_docx_tracked_insertions_content_controls_and_text_boxes(tmp_path: Path) -> None:
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    document.core_properties.author = "jbloggs"
    document.add_heading("Referrals", level=0)
    document.add_paragraph("Owner: Jane Smith, Team Manager")
    box = "<w:txbxContent><w:p><w:r><w:t>Text box note.</w:t></w:r></w:p></w:txbxContent>"
    extra = parse_xml(_docx_xml(
        '<w:p><w:r><w:t xml:space="preserve">The deadline is </w:t></w:r>'
        "<w:ins w:id='1' w:author='x'><w:r><w:t>28 days</w:t></w:r></w:ins>"
        "<w:del w:id='2' w:author='x'><w:r><w:delText>14 days</w:delText></w:r></w:del>"
        '<w:r><w:t xml:space="preserve"> from referral.</w:t></w:r></w:p>'
        "<w:sdt><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>Emergency line: 0800 123 456.</w:t>"
        "</w:r></w:p></w:sdtContent></w:sdt>"
        '<w:p><w:r><w:t xml:space="preserve">Contact the </w:t></w:r><w:sdt><w:sdtContent>'
        "<w:r><w:t>duty desk</w:t></w:r></w:sdtContent></w:sdt><w:r><w:t> first.</w:t></w:r>"
        "</w:p><w:p><w:r><mc:AlternateContent><mc:Choice Requires='wps'><w:drawing><wps:txbx>"
        f"{box}</wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox>{box}"
        "</v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"))
    body = document.element.body
    for element in list(extra):
        body.insert(len(body) - 1, element)  # before the section properties
    path = tmp_path / "referrals.docx"
    document.save(str(path))
    doc = documents.load(path, "referrals.docx")
    text = doc.pages[0].text
    assert "The deadline is 28 days from referral." in text and "14 days" not in text
    assert "Emergency line: 0800 123 456." in text and "Contact the duty desk first." in text
    assert text.count("Text box note.") == 1
    assert doc.metadata["owner"] == "Jane Smith, Team Manager"


def test_docx_author_is_the_owner_only_when_there_is_one(tmp_path: Path) -> None:
    import docx

    for author, owner in (("jbloggs", "jbloggs"), ("", None)):
        document = docx.Document()
        document.core_properties.author = author
        document.add_paragraph("Bath boards are issued within 7 days.")
        path = tmp_path / "boards.docx"
        document.save(str(path))
        assert documents.load(path, "boards.docx").metadata.get("owner") == owner


def test_docx_table_keeps_equal_cells_and_drops_merged_repeats(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Charges for equipment.")
    grid = document.add_table(rows=3, cols=3)
    for r, row in enumerate([["Item", "Blue badge", "Replacement"],
                             ["Bath board", "Free", "Free"]]):
        for c, value in enumerate(row):
            grid.cell(r, c).text = value
    grid.cell(2, 0).text = "Hoist"
    grid.cell(2, 1).merge(grid.cell(2, 2)).text = "Loan only"
    path = tmp_path / "charges.docx"
    document.save(str(path))
    lines = documents.load(path, "charges.docx").pages[0].text.splitlines()
    assert "| Bath board | Free | Free |" in lines
    assert "| Hoist | Loan only |" in lines
