"""The report as an archival PDF: WeasyPrint over the HTML templates, PDF/A-3u, tagged, with the year file attached.

PDF/A-3 is the archival variant that allows attachments: the year's data as
a YAML year file (`yearfile.export.export_year`) travels inside the PDF, so
the published document carries the figures it was made from. WeasyPrint
takes one `pdf_variant`; PDF/UA-1 is a variant of its own and cannot be
combined with PDF/A in the same call, so the PDF is PDF/A-3u with
`pdf_tags=True`: a tagged structure tree (headings, lists, tables with
header cells, figures with the SVG's <title> as alternative text) and the
document language. Page numbers, the running header (cooperation and
chapter) and the page references in the table of contents come from the
print part of the report's CSS.
"""

from __future__ import annotations

import weasyprint

from samverkan.members.models import Year
from samverkan.reports.document import Document
from samverkan.reports.outline import build_document
from samverkan.reports.renderers.html import render_html
from samverkan.reports.report import AnnualReport
from samverkan.yearfile.export import export_year

PDF_VARIANT = "pdf/a-3u"


def attachment_name(report: AnnualReport) -> str:
    return f"{report.slug}-{report.year}.yaml"


def render_pdf(doc: Document, year_file: str, attachment: str) -> bytes:
    """The document as PDF/A-3u with `year_file` attached under the name `attachment`."""
    html = weasyprint.HTML(string=render_html(doc, print_version=True))
    pdf = html.write_pdf(
        pdf_variant=PDF_VARIANT,
        pdf_tags=True,
        attachments=[
            weasyprint.Attachment(
                string=year_file.encode("utf-8"),
                name=attachment,
                description=doc.labels.get("attachment", ""),
                relationship="Source",
            ),
        ],
    )
    assert pdf is not None
    return pdf


class PdfRenderer:
    identifier = "pdf"
    background = True
    media_type = "application/pdf"
    extension = "pdf"

    def render(self, report: AnnualReport) -> bytes:
        year = Year.objects.select_related("cooperation", "programme", "operating_fund").get(
            cooperation__slug=report.slug, year=report.year
        )
        return render_pdf(build_document(report), export_year(year), attachment_name(report))
