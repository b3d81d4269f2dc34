"""The PDF report (Typst): PDF/A-3a and PDF/UA-1 in one file, tagged, with its source data attached."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest
from django.db import transaction

from samverkan.members.models import Cooperation, Year
from samverkan.reports.document import (
    Cell,
    Column,
    CoverPage,
    Document,
    Paragraph,
    RichText,
    Row,
    Section,
    Table,
    TableBody,
)
from samverkan.reports.renderers.pdf import Attachment, render_pdf
from samverkan.yearfile.export import export_cooperation, export_year
from samverkan.yearfile.services import load_files

PDFAID = "{http://www.aiim.org/pdfa/ns/id/}"
PDFUAID = "{http://www.aiim.org/pdfua/ns/id/}"
DC = "{http://purl.org/dc/elements/1.1/}"
# Poppler 22.12 misreads Typst's (valid) `/Suspects false` in /MarkInfo; the page still renders.
POPPLER_SUSPECTS = "Syntax Error: Suspects object is wrong type (boolean)"


def open_pdf(content: bytes) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(content))


def structure(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Dictionary]:
    """The structure elements in document order (depth first)."""

    def walk(node: object) -> Iterator[pikepdf.Dictionary]:
        if isinstance(node, pikepdf.Array):
            for child in node:
                yield from walk(child)
        elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
            yield node
            if "/K" in node:
                yield from walk(node.K)

    yield from walk(pdf.Root.StructTreeRoot.K)


def tags(pdf: pikepdf.Pdf) -> list[str]:
    return [str(element.S)[1:] for element in structure(pdf)]


def pdftotext(content: bytes, tmp_path: Path, *pages: str) -> str:
    source = tmp_path / "report.pdf"
    source.write_bytes(content)
    return subprocess.run(
        ["pdftotext", *pages, "-layout", str(source), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def small_document(*blocks: object, title: str = "Rapport") -> Document:
    """A one-chapter Document built by hand, for what the demo does not show."""
    return Document(
        lang="sv",
        title=title,
        description="Ett prov.",
        cover=CoverPage(
            cooperation="Provsamverkan",
            title=title,
            banner=("A B", "B A"),
            members_label="Medlemskommuner: A, B",
            decided="Beslutad 1 mars 2021",
            officer_heading="Handläggare/referens",
            officer_name="",
            officer_email="",
        ),
        toc_title="Innehållsförteckning",
        sections=(
            Section(level=1, number="1.", title="Kapitel", anchor="kap-1", blocks=tuple(blocks)),  # type: ignore[arg-type]
        ),
        footer="Provsamverkan",
        labels={"page": "Sida"},
    )


def compile_small(*blocks: object, **kwargs: object) -> bytes:
    return render_pdf(
        small_document(*blocks),
        timestamp=dt.datetime(2021, 3, 1, tzinfo=dt.UTC),
        **kwargs,  # type: ignore[arg-type]
    )


# --- standards ----------------------------------------------------------------------------------


@pytest.mark.parametrize("year", [2018, 2020])
def test_the_xmp_claims_pdf_a_3a_and_pdf_ua_1(rendered, year):
    with open_pdf(rendered(year, "pdf")) as pdf, pdf.open_metadata() as xmp:
        assert (xmp.get(f"{PDFAID}part"), xmp.get(f"{PDFAID}conformance")) == ("3", "A")
        assert xmp.get(f"{PDFUAID}part") == "1"
        assert pdf.Root.OutputIntents[0].S == "/GTS_PDFA1"


@pytest.mark.parametrize("year", [2018, 2020])
def test_the_pdf_has_a_title_more_than_five_pages_and_says_it_is_swedish(rendered, year):
    with open_pdf(rendered(year, "pdf")) as pdf, pdf.open_metadata() as xmp:
        assert len(pdf.pages) > 5
        assert xmp.get(f"{DC}title").endswith(f"Årsredovisning och bokslut {year}")
        assert str(pdf.Root.Lang) == "sv"
        assert pdf.Root.MarkInfo.Marked is True


def test_the_english_pdf_says_it_is_english(rendered):
    with open_pdf(rendered(2020, "pdf", lang="en")) as pdf:
        assert str(pdf.Root.Lang) == "en"


def test_a_decided_report_is_dated_by_its_decision_and_is_the_same_file_every_time(
    rendered, demo_year
):
    from samverkan.reports.assembly import build_annual_report
    from samverkan.reports.renderers.pdf import PdfRenderer

    year = demo_year(2020)
    assert year.decided_on is not None

    again = PdfRenderer().render(build_annual_report(year, sources=True))

    assert again == rendered(2020, "pdf")
    with open_pdf(again) as pdf, pdf.open_metadata() as xmp:
        assert xmp.get("{http://ns.adobe.com/xap/1.0/}CreateDate").startswith(
            year.decided_on.isoformat()
        )


# --- structure ----------------------------------------------------------------------------------


@pytest.mark.parametrize("year", [2018, 2020])
def test_headings_are_tagged_in_order_from_h1_without_skipping_a_level(rendered, year):
    with open_pdf(rendered(year, "pdf")) as pdf:
        levels = [int(tag[1]) for tag in tags(pdf) if tag[:1] == "H" and tag[1:].isdigit()]

    assert levels[0] == 1
    assert levels.count(1) >= 7  # the contents and the chapters
    assert 2 in levels
    assert all(after <= before + 1 for before, after in zip(levels, levels[1:], strict=False))


@pytest.mark.parametrize("year", [2018, 2020])
def test_every_table_is_tagged_with_header_cells(rendered, year):
    with open_pdf(rendered(year, "pdf")) as pdf:
        tables = [e for e in structure(pdf) if e.S == "/Table"]
        assert len(tables) >= 5
        for table in tables:
            assert "TH" in [str(e.S)[1:] for e in structure_below(table)]


def structure_below(element: pikepdf.Dictionary) -> Iterator[pikepdf.Dictionary]:
    node = element.get("/K")
    stack = [node] if node is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend(node)
        elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
            yield node
            if "/K" in node:
                stack.append(node.K)


@pytest.mark.parametrize("year", [2018, 2020])
def test_every_chart_is_a_figure_with_alternative_text(rendered, year):
    with open_pdf(rendered(year, "pdf")) as pdf:
        figures = [e for e in structure(pdf) if e.S == "/Figure"]
        assert len(figures) >= 3
        assert all(len(str(f.get("/Alt", ""))) > 20 for f in figures)


def test_a_long_table_is_one_tagged_table_over_several_pages_with_its_header_repeated(tmp_path):
    rows = tuple(Row((Cell(f"Rad {i}"), Cell(f"{i} 000"))) for i in range(150))
    table = Table(
        id="lang",
        caption="En lång tabell",
        columns=(Column("Post"), Column("Belopp", numeric=True)),
        bodies=(TableBody(rows),),
    )

    content = compile_small(table)

    with open_pdf(content) as pdf:
        assert len(pdf.pages) >= 5
        assert tags(pdf).count("Table") == 1
    page_texts = pdftotext(content, tmp_path).split("\f")
    body_pages = [text for text in page_texts if "Rad " in text]
    assert len(body_pages) >= 2
    assert all("Belopp" in text for text in body_pages)


@pytest.mark.parametrize("year", [2018, 2020])
def test_the_pdf_has_an_outline_of_the_chapters(rendered, year):
    with open_pdf(rendered(year, "pdf")) as pdf, pdf.open_outline() as outline:
        titles = [item.title for item in outline.root]
    assert titles[0] == "1. Inledning"
    assert titles[-1].endswith(f". Bokslut {year}")


def test_the_running_header_names_the_cooperation_and_the_chapter_that_starts_on_the_page(
    rendered, tmp_path
):
    content = rendered(2020, "pdf")

    headers = [
        page.strip().splitlines()[0] for page in pdftotext(content, tmp_path).split("\f")[2:-1]
    ]

    assert all(h.startswith("Södertörnskommunernas Samarbetskommitté") for h in headers)
    assert headers[0].endswith("1. Inledning")  # chapter 2 also starts on this page
    assert headers[-1].endswith("7. Bokslut 2020")


def test_the_running_header_and_footer_are_marked_as_artifacts(rendered):
    with open_pdf(rendered(2020, "pdf")) as pdf:
        page = pikepdf.Page(pdf.pages[3])
        operators = [
            (str(operands[0]) if operands else "", str(operator))
            for operands, operator in pikepdf.parse_content_stream(page)
            if str(operator) in ("BDC", "BMC")
        ]
    marks = [name for name, _ in operators]
    assert marks.count("/Artifact") >= 2  # header and footer (and table rules)
    assert "/P" in marks or "/Span" in marks  # the page's own text is tagged content


# --- source data ----------------------------------------------------------------------------------


@pytest.mark.parametrize("year", [2018, 2020])
def test_the_year_file_and_the_standing_file_are_attached_as_source_data(rendered, demo_year, year):
    content = rendered(year, "pdf")
    expected = export_year(demo_year(year)).encode("utf-8")

    with open_pdf(content) as pdf:
        attachment = pdf.attachments[f"sodertorn-{year}.yaml"]
        assert attachment.get_file().read_bytes() == expected
        assert str(attachment.obj.get("/AFRelationship")) == "/Source"
        standing = pdf.attachments["sodertorn.yaml"].get_file().read_bytes()
        assert standing == export_cooperation(demo_year(year).cooperation).encode("utf-8")


@pytest.mark.parametrize("year", [2018, 2020])
def test_the_attached_files_loaded_into_an_empty_database_give_the_year_back(
    rendered, db, tmp_path, year
):
    with transaction.atomic():
        content = rendered(year, "pdf")  # loads the demo if the PDF is not made yet ...
        transaction.set_rollback(True)  # ... and takes it out again
    assert not Cooperation.objects.exists()
    with open_pdf(content) as pdf:
        files = []
        for name, attachment in pdf.attachments.items():
            path = tmp_path / name
            path.write_bytes(attachment.get_file().read_bytes())
            files.append(path)
    year_file = (tmp_path / f"sodertorn-{year}.yaml").read_text(encoding="utf-8")

    load_files(files, actor="tests")

    loaded = Year.objects.get(cooperation__slug="sodertorn", year=year)
    assert export_year(loaded) == year_file


# --- text -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2018, ["1. Inledning", "Bokslut 2018", "Sammanställning 2018", "Summa"]),
        (2020, ["1. Inledning", "7. Bokslut 2020", "2 012 800", "1 381 129", "Summa"]),
    ],
)
def test_pdftotext_finds_the_headings_and_key_figures(rendered, tmp_path, year, expected):
    text = pdftotext(rendered(year, "pdf"), tmp_path).replace("\u00a0", " ").replace("\u202f", " ")
    for phrase in expected:
        assert phrase in text


def test_the_table_of_contents_shows_page_numbers(rendered, tmp_path):
    text = pdftotext(rendered(2020, "pdf"), tmp_path, "-f", "2", "-l", "2")

    assert "Innehållsförteckning" in text
    entry = next(line for line in text.splitlines() if "7. Bokslut 2020" in line)
    # Typst joins the page number to its dot leader with a word joiner (U+2060).
    assert entry.rstrip().split()[-1].strip("\u2060").isdigit(), entry


def test_a_table_footnote_is_printed_at_the_foot_of_its_page(rendered, tmp_path):
    text = pdftotext(rendered(2020, "pdf"), tmp_path)
    summary_page = next(page for page in text.split("\f") if "Sammanställning 2020" in page)

    assert "Kommunikationsprojekt1)" in summary_page.replace(" ", "")
    assert "medel som överförts från Nynäshamn" in summary_page


BREAKOUT = (
    '#import "@preview/evil:1.0.0": *\n\n'
    ']] ) } #panic("x") $x^2$ 2 * 3 * 4 snake_case_name @ref <label> [länk \\ '
    "#set page(width: 1cm) *fet*\n"
)
PLAIN = '#let x = 1 ] [ $ "citat" *a* _b_ @c <d> \\e `f` ~g'


def test_a_follow_up_written_to_break_out_of_the_template_prints_as_literal_text(tmp_path):
    content = compile_small(RichText(BREAKOUT), Paragraph(PLAIN))

    text = pdftotext(content, tmp_path, "-f", "3").replace("\u00a0", " ")

    assert '#import "@preview/evil:1.0.0": *' in text
    assert ']] ) } #panic("x") $x^2$ 2 * 3 * 4 snake_case_name @ref <label> [länk \\' in text
    assert "#set page(width: 1cm) fet" in text  # the Markdown emphasis, as CommonMark reads it
    assert PLAIN in text
    with open_pdf(content) as pdf:
        assert len(pdf.pages) == 3  # the page width was not changed


def test_markdown_emphasis_lists_and_links_come_through_the_commonmark_tree(tmp_path):
    text = "Före **fet** och *kursiv*.\n\n- ett\n  - två\n\n[Länk](https://example.org)"

    content = compile_small(RichText(text))

    with open_pdf(content) as pdf:
        found = tags(pdf)
    assert {"Strong", "Em", "L", "LI", "Link"} <= set(found)
    printed = pdftotext(content, tmp_path, "-f", "3")
    assert "Före fet och kursiv." in printed and "Länk" in printed and "**" not in printed


def test_a_markdown_footnote_is_a_real_footnote_at_the_foot_of_the_page(tmp_path):
    content = compile_small(RichText("Stombussen byggs ut.[^1]\n\n[^1]: Trafikverkets projekt."))

    text = pdftotext(content, tmp_path, "-f", "3")

    assert "[^1]" not in text
    body, foot = text.split("Trafikverkets projekt.")[0], text.split("Stombussen")[1]
    assert "Stombussen byggs ut.1" in body  # the mark, after the sentence
    assert "Trafikverkets projekt." in foot  # the note, below it
    with open_pdf(content) as pdf:
        assert "Note" in tags(pdf)


def test_marks_on_a_caption_and_a_group_heading_print_their_notes_as_footnotes(tmp_path):
    from samverkan.reports.document import Notes

    table = Table(
        id="t",
        caption="Projektens kostnader",
        columns=(Column("Post"), Column("Belopp", numeric=True)),
        bodies=(
            TableBody((Row((Cell("Konsult"), Cell("100"))),), title="Projekt A", footnote="2"),
        ),
        footnote="1",
    )
    notes = Notes(title="Noter", items=(("1", "Enligt bokslutet."), ("2", "Medfinansierat.")))

    text = pdftotext(compile_small(table, notes), tmp_path, "-f", "3")

    assert "Projektenskostnader1)" in text.replace(" ", "")
    assert "ProjektA2)" in text.replace(" ", "")
    # Each note once, at the foot of the page: the Notes block has nothing left to list.
    assert text.count("Enligt bokslutet.") == 1 and text.count("Medfinansierat.") == 1


def test_an_attachment_is_carried_byte_for_byte():
    attachment = Attachment(
        name="prov.yaml", content=b"a: 1\n", media_type="application/yaml", description="Prov"
    )

    content = compile_small(Paragraph("Text"), attachments=[attachment])

    with open_pdf(content) as pdf:
        assert pdf.attachments["prov.yaml"].get_file().read_bytes() == b"a: 1\n"


@pytest.mark.parametrize("year", [2018, 2020])
def test_pdftoppm_renders_every_page(rendered, tmp_path: Path, year):
    source = tmp_path / "report.pdf"
    source.write_bytes(rendered(year, "pdf"))
    with open_pdf(source.read_bytes()) as pdf:
        pages = len(pdf.pages)

    result = subprocess.run(
        ["pdftoppm", "-png", "-r", "30", str(source), str(tmp_path / "page")],
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert [line for line in result.stderr.splitlines() if line != POPPLER_SUSPECTS] == []
    assert len(list(tmp_path.glob("page-*.png"))) == pages


# --- the template -------------------------------------------------------------------------------


def test_every_block_type_of_the_document_has_a_layout_in_the_template():
    import typing

    from samverkan.reports.document import Block
    from samverkan.reports.renderers.pdf import TEMPLATE

    template = TEMPLATE.read_text(encoding="utf-8")
    layouts = template.split("#let blocks = (")[1].split(")\n")[0]

    for block in typing.get_args(Block):
        assert f"  {block.__name__}: " in layouts, block.__name__


def test_the_template_imports_no_typst_package_so_nothing_is_downloaded():
    from samverkan.reports.renderers.pdf import TEMPLATE

    template = TEMPLATE.read_text(encoding="utf-8")

    assert "#import" not in template and "@preview" not in template


def test_a_block_the_template_does_not_know_stops_the_compile_naming_it():
    from dataclasses import dataclass

    from samverkan.reports.renderers.pdf import PdfError

    @dataclass(frozen=True)
    class Timeline:
        events: tuple[str, ...]

    with pytest.raises(PdfError, match="no layout for the block Timeline"):
        compile_small(Timeline(("a", "b")))


def test_a_document_without_a_title_is_refused():
    from samverkan.reports.renderers.pdf import PdfError

    doc = small_document(Paragraph("Text"), title="")

    with pytest.raises(PdfError, match="title"):
        render_pdf(doc, timestamp=dt.datetime(2021, 3, 1, tzinfo=dt.UTC))
