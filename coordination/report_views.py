"""The meeting report as a PDF, and Annex I (the list of participants) as XLSX and PDF: for
whoever may see the meeting (access.get_meeting_for_user), anyone else gets a 404."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header

from . import access, caching
from .reports import annex, records
from .reports.pdf import PdfUnavailable, pdf_from_html, pdf_unavailable_reason


@login_required
def meeting_report_pdf(request, pk):
    """Kept once for every reader until the record changes, as the page's report is."""
    meeting = access.get_meeting_for_user(request.user, pk)

    def render_pdf():
        context = records.meeting_report_records(meeting)
        context["participants"] = records.participants_of(context["attendances"])
        return pdf_from_html(render_to_string("coordination/pdf/report.html", context))

    return _pdf_response(
        request, meeting, "meeting-report-pdf", render_pdf, _file_name(meeting, "report") + ".pdf"
    )


@login_required
def participants_pdf(request, pk):
    meeting = access.get_meeting_for_user(request.user, pk)

    def render_pdf():
        context = {"meeting": meeting, "participants": records.participants(meeting)}
        return pdf_from_html(render_to_string("coordination/pdf/participants.html", context))

    return _pdf_response(
        request, meeting, "participants-pdf", render_pdf, _file_name(meeting, "annex-1") + ".pdf"
    )


@login_required
def participants_xlsx(request, pk):
    meeting = access.get_meeting_for_user(request.user, pk)
    return annex.participants_file(meeting, name=_file_name(meeting, "annex-1"))


def _pdf_response(request, meeting, name, render_pdf, filename):
    """The PDF, or a page saying why this server cannot make one (503: it may be back once the
    library is installed)."""
    if reason := pdf_unavailable_reason():
        return _pdf_unavailable(request, meeting, reason)
    try:
        content = caching.kept(request, name, (meeting.pk,), render_pdf)
    except PdfUnavailable as error:
        return _pdf_unavailable(request, meeting, str(error))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _pdf_unavailable(request, meeting, reason):
    return render(
        request,
        "coordination/pdf_unavailable.html",
        {"meeting": meeting, "reason": reason},
        status=503,
    )


def _file_name(meeting, what: str) -> str:
    return f"{meeting.group.slug}-meeting-{meeting.number}-{what}"
