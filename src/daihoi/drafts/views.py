"""Pages of the drafts: the secretariat's (drafts, comments, imports, unit links, the synthesis editor,
the report and exports), the delegate's phone pages, and the unit secretary's form on its token link.

Views parse, call one action, render; every congress page goes through `congress_view`. The unit
form is outside `/c/<slug>/`: its token is its only key.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from daihoi.congress.access import CongressRequest, Role, congress_view
from daihoi.congress.errors import ActionError
from daihoi.congress.models import Congress, SpeakerRequest
from daihoi.congress.views.dashboard import Feature, feature_links
from daihoi.drafts.actions import comments as comment_actions
from daihoi.drafts.actions import documents as document_actions
from daihoi.drafts.actions import imports as import_actions
from daihoi.drafts.actions import synthesis as synthesis_actions
from daihoi.drafts.actions import upper as upper_actions
from daihoi.drafts.models import Comment, DraftDocument, Group, Kind, Note, Synthesis, UnitLink
from daihoi.drafts.report import export_json, export_xlsx, report_rows
from daihoi.drafts.report import render as render_report

_O, _P, _S, _D = Role.ORGANIZER, Role.PRESIDIUM, Role.SECRETARIAT, Role.DELEGATE
MAX_PROBLEMS_SHOWN = 500

LINKS: tuple[Feature, ...] = (
    Feature("dashboard", gettext_lazy("Bảng điều khiển")),
    Feature("drafts", gettext_lazy("Dự thảo văn kiện")),
    Feature("unit_links", gettext_lazy("Đường dẫn góp ý của đơn vị")),
)


def _context(request: CongressRequest, **extra: Any) -> dict[str, Any]:
    congress: Congress = request.congress
    links = feature_links(congress, request.actor.roles, LINKS)
    return {"congress": congress, "links": links, "current": request.resolver_match.url_name, **extra}


def _draft(request: CongressRequest, draft_id: int) -> DraftDocument:
    return get_object_or_404(DraftDocument, pk=draft_id, congress=request.congress)


def _upload(request: HttpRequest, name: str = "file") -> tuple[str, bytes]:
    upload = request.FILES.get(name)
    if upload is None:
        raise ActionError("no_file", _("Chưa chọn tệp để nhập."))
    if upload.size is not None and upload.size > document_actions.MAX_FILE_BYTES * 2:
        raise ActionError("file_too_large", _("Tệp “%(name)s” quá lớn.") % {"name": upload.name})
    return upload.name or "", upload.read()


# Drafts ------------------------------------------------------------------------------------------------


@require_GET
@congress_view(_O, _S, _P)
def drafts(request: CongressRequest, slug: str) -> HttpResponse:
    """The congress's drafts with their version and number of comments."""
    congress = request.congress
    rows = [
        (d, d.comments.count(), Synthesis.objects.filter(draft=d).first())
        for d in DraftDocument.objects.filter(congress=congress).order_by("pk")
    ]
    return render(
        request, "drafts/drafts.html", _context(request, rows=rows, kinds=DraftDocument.DraftKind.choices)
    )


@require_http_methods(["GET", "POST"])
@congress_view(_O, _S)
def draft_import(request: CongressRequest, slug: str) -> HttpResponse:
    """Import a draft from .docx or .md."""
    error = None
    if request.method == "POST":
        try:
            filename, data = _upload(request)
            draft = document_actions.import_draft(
                request.congress,
                request.actor,
                filename=filename,
                data=data,
                kind=request.POST.get("kind", ""),
                title=request.POST.get("title", ""),
            )
        except ActionError as refused:
            error = refused
        else:
            messages.success(request, _("Đã nhập dự thảo “%(title)s”.") % {"title": draft.title})
            return redirect("draft", slug, draft.pk)
    context = _context(request, error=error, kinds=DraftDocument.DraftKind.choices)
    return render(request, "drafts/draft_import.html", context, status=400 if error else 200)


@require_GET
@congress_view(_O, _S, _P)
def draft(request: HttpRequest, slug: str, draft_id: int) -> HttpResponse:
    """A draft, section by section with line numbers and the number of comments on each."""
    d = _draft(request, draft_id)
    sections = list(d.current_sections())
    counts: dict[int | None, int] = {}
    for section_id in Comment.objects.filter(draft=d).values_list("section_id", flat=True):
        counts[section_id] = counts.get(section_id, 0) + 1
    numbered = [(s, lines, counts.get(s.pk, 0)) for s, lines in document_actions.numbered(sections)]
    context = _context(
        request,
        draft=d,
        numbered=numbered,
        unplaced=counts.get(None, 0),
        flagged=Comment.objects.filter(draft=d, is_on_changed_section=True).count(),
        synthesis=Synthesis.objects.filter(draft=d).first(),
    )
    return render(request, "drafts/draft.html", context)


@require_http_methods(["GET", "POST"])
@congress_view(_O, _S)
def draft_version(request: CongressRequest, slug: str, draft_id: int) -> HttpResponse:
    """Upload a new version; comments on unchanged sections follow it."""
    d = _draft(request, draft_id)
    error = None
    if request.method == "POST":
        try:
            filename, data = _upload(request)
            kept = document_actions.import_new_version(d, request.actor, filename=filename, data=data)
        except ActionError as refused:
            error = refused
        else:
            messages.success(
                request,
                _("Đã nhập phiên bản mới: %(kept)s ý kiến giữ nguyên, %(flagged)s ý kiến ở mục đã sửa.")
                % kept,
            )
            return redirect("draft", slug, d.pk)
    return render(
        request,
        "drafts/draft_version.html",
        _context(request, draft=d, error=error),
        status=400 if error else 200,
    )


# Comments ----------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@congress_view(_O, _S)
def draft_comments(request: CongressRequest, slug: str, draft_id: int) -> HttpResponse:
    """Every comment of a draft; the secretariat types a speaker's comment from the floor here."""
    d = _draft(request, draft_id)
    congress = request.congress
    error = None
    if request.method == "POST":
        entry = request.POST.get("speaker_request", "")
        try:
            speaker = (
                SpeakerRequest.objects.filter(congress=congress, pk=int(entry) if entry.isdigit() else -1)
                .select_related("delegate")
                .first()
            )
            if speaker is None:
                raise ActionError("speaker_required", _("Chọn lượt phát biểu trong danh sách phát biểu."))
            comment_actions.floor_comment(
                d,
                request.actor,
                speaker_request=speaker,
                section=request.POST.get("section", ""),
                kind=request.POST.get("kind", ""),
                text=request.POST.get("text", ""),
            )
        except ActionError as refused:
            error = refused
        else:
            messages.success(request, _("Đã ghi ý kiến phát biểu tại hội trường."))
            return redirect("draft_comments", slug, d.pk)
    comments = (
        Comment.objects.filter(draft=d)
        .select_related("section", "delegate", "speaker_request")
        .order_by("pk")
    )
    source = request.GET.get("source", "")
    if source in Comment.Source.values:
        comments = comments.filter(source=source)
    context = _context(
        request,
        draft=d,
        comments=list(comments[:2000]),
        total=comments.count(),
        sources=Comment.Source.choices,
        chosen=source,
        sections=list(d.current_sections()),
        kinds=Kind.choices,
        speakers=list(
            SpeakerRequest.objects.filter(congress=congress).select_related("delegate").order_by("position")
        ),
        error=error,
    )
    return render(request, "drafts/comments.html", context, status=400 if error else 200)


@require_http_methods(["GET", "POST"])
@congress_view(_O, _S)
def comments_import(request: CongressRequest, slug: str, draft_id: int) -> HttpResponse:
    """Import a comment file (Excel, CSV or Word form); all rows or none, with a row-by-row report."""
    d = _draft(request, draft_id)
    error = report = None
    if request.method == "POST":
        try:
            filename, data = _upload(request)
            report = import_actions.import_comments(d, request.actor, filename=filename, data=data)
        except ActionError as refused:
            error = refused
        if report is not None and report.is_ok:
            messages.success(
                request,
                _("Đã nhập %(count)s ý kiến từ tệp “%(file)s”.")
                % {"count": report.created, "file": report.filename},
            )
            return redirect("draft_comments", slug, d.pk)
    context = _context(
        request,
        draft=d,
        error=error,
        report=report,
        problems=report.problems[:MAX_PROBLEMS_SHOWN] if report else [],
        hidden_problems=max(0, len(report.problems) - MAX_PROBLEMS_SHOWN) if report else 0,
    )
    status = 400 if error or (report and not report.is_ok) else 200
    return render(request, "drafts/comments_import.html", context, status=status)


@require_http_methods(["GET", "POST"])
@congress_view(_O, _S)
def upper_import(request: CongressRequest, slug: str, draft_id: int) -> HttpResponse:
    """Import lower units' synthesis files (.json, .xlsx) as incoming comments; all files or none."""
    d = _draft(request, draft_id)
    error = report = None
    if request.method == "POST":
        files = [(f.name or "", f.read()) for f in request.FILES.getlist("files")]
        try:
            report = upper_actions.import_lower_syntheses(d, request.actor, files=files)
        except ActionError as refused:
            error = refused
        if report is not None and report.is_ok:
            messages.success(
                request,
                _("Đã nhập %(count)s ý kiến từ %(files)s tệp tổng hợp.")
                % {"count": report.created, "files": len(report.files)},
            )
            return redirect("draft_comments", slug, d.pk)
    context = _context(request, draft=d, error=error, report=report)
    status = 400 if error or (report and not report.is_ok) else 200
    return render(request, "drafts/upper_import.html", context, status=status)


@require_http_methods(["GET", "POST"])
@congress_view(_O, _S)
def unit_links(request: CongressRequest, slug: str) -> HttpResponse:
    """The token links of the units (one per cell), to hand to each unit's secretary."""
    congress = request.congress
    if request.method == "POST":
        try:
            if request.POST.get("revoke", "").isdigit():
                link = get_object_or_404(UnitLink, congress=congress, pk=int(request.POST["revoke"]))
                comment_actions.revoke_unit_link(link, request.actor)
                messages.success(request, _("Đã thu hồi đường dẫn của %(unit)s.") % {"unit": link.unit_name})
            else:
                made = comment_actions.unit_links_for_cells(congress, request.actor)
                messages.success(request, _("Đã tạo %(count)s đường dẫn góp ý.") % {"count": len(made)})
        except ActionError as refused:
            messages.error(request, refused.message)
        return redirect("unit_links", slug)
    links = [
        (link, request.build_absolute_uri(reverse("unit_form", args=[link.token])))
        for link in UnitLink.objects.filter(congress=congress)
    ]
    return render(request, "drafts/unit_links.html", _context(request, unit_links=links))


# The synthesis -----------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@congress_view(_O, _S)
def synthesis_editor(request: CongressRequest, slug: str, draft_id: int) -> HttpResponse:
    """The synthesis editor: make the first draft, then move, merge, split, reword and mark each point."""
    d = _draft(request, draft_id)
    actor = request.actor
    error = None
    if request.method == "POST":
        op = request.POST.get("op", "")
        synthesis = Synthesis.objects.filter(draft=d).first()
        try:
            if op == "make":
                synthesis_actions.make_first_draft(d, actor)
                messages.success(request, _("Đã lập bản tổng hợp đầu tiên."))
            elif synthesis is None:
                raise ActionError("no_synthesis", _("Chưa lập bản tổng hợp."))
            elif op == "move":
                comment = request.POST.get("comment", "")
                synthesis_actions.move_comment(
                    synthesis,
                    actor,
                    comment_id=int(comment) if comment.isdigit() else -1,
                    to_group=request.POST.get("to_group") or None,
                    to_section=request.POST.get("to_section") or None,
                )
                messages.success(request, _("Đã chuyển ý kiến."))
            elif op == "merge":
                synthesis_actions.merge_groups(synthesis, actor, group_ids=request.POST.getlist("groups"))
                messages.success(request, _("Đã gộp các nhóm ý kiến."))
            elif op == "split":
                synthesis_actions.split_group(
                    synthesis,
                    actor,
                    group_id=request.POST.get("group", ""),
                    comment_ids=[int(c) for c in request.POST.getlist("comments") if c.isdigit()],
                )
                messages.success(request, _("Đã tách nhóm ý kiến."))
            elif op == "edit":
                synthesis_actions.edit_group(
                    synthesis,
                    actor,
                    group_id=request.POST.get("group", ""),
                    summary=request.POST.get("summary"),
                    status=request.POST.get("status"),
                    response=request.POST.get("response"),
                    kind=request.POST.get("kind"),
                )
                messages.success(request, _("Đã lưu nhóm ý kiến."))
            elif op == "approve":
                motion = synthesis_actions.propose_approval(synthesis, actor)
                messages.success(
                    request, _("Đã tạo nội dung biểu quyết “%(title)s”.") % {"title": motion.title}
                )
            else:
                raise ActionError("bad_op", _("Thao tác không hợp lệ."))
        except ActionError as refused:
            error = refused
        else:
            anchor = f"#g{request.POST['group']}" if request.POST.get("group", "").isdigit() else ""
            return redirect(reverse("synthesis_editor", args=[slug, d.pk]) + anchor)
    synthesis = Synthesis.objects.filter(draft=d).select_related("motion").first()
    report = report_rows(synthesis) if synthesis else None
    groups = (
        list(synthesis.groups.select_related("section").order_by("section__order", "-units", "id"))
        if synthesis
        else []
    )
    context = _context(
        request,
        draft=d,
        synthesis=synthesis,
        report=report,
        groups=groups,
        sections=list(d.current_sections()),
        statuses=Group.Status.choices,
        kinds=[k for k in Kind.choices if k[0] != Kind.AGREE],
        comments_total=Comment.objects.filter(draft=d, is_on_changed_section=False).count(),
        error=error,
    )
    return render(request, "drafts/synthesis.html", context, status=400 if error else 200)


@require_GET
@congress_view(_O, _S, _P)
def synthesis_report(request: HttpRequest, slug: str, draft_id: int, fmt: str) -> HttpResponse:
    """The synthesis report as DOCX or PDF, in the official layout."""
    d = _draft(request, draft_id)
    synthesis = get_object_or_404(Synthesis, draft=d)
    if fmt not in ("docx", "pdf"):
        return HttpResponse(status=404)
    filename, data, content_type = render_report(synthesis, fmt)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'{"inline" if fmt == "pdf" else "attachment"}; filename="{filename}"'
    return response


@require_GET
@congress_view(_O, _S, _P)
def synthesis_export(request: CongressRequest, slug: str, draft_id: int, fmt: str) -> HttpResponse:
    """The synthesis as the machine-readable file sent up (JSON or Excel)."""
    d = _draft(request, draft_id)
    synthesis = get_object_or_404(Synthesis, draft=d)
    name = f"tong-hop-{request.congress.slug}-{d.pk}"
    if fmt == "json":
        response: HttpResponse = JsonResponse(
            export_json(synthesis), json_dumps_params={"ensure_ascii": False, "indent": 1}
        )
    elif fmt == "xlsx":
        response = HttpResponse(
            export_xlsx(synthesis),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        return HttpResponse(status=404)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


# The delegate's phone ----------------------------------------------------------------------------------


@require_GET
@congress_view(_D)
def my_drafts(request: CongressRequest, slug: str) -> HttpResponse:
    congress = request.congress
    rows = [
        (d, list(d.current_sections()))
        for d in DraftDocument.objects.filter(congress=congress).order_by("pk")
    ]
    return render(request, "drafts/phone_drafts.html", {"congress": congress, "rows": rows})


@require_http_methods(["GET", "POST"])
@congress_view(_D)
def my_section(request: CongressRequest, slug: str, draft_id: int, section_id: int) -> HttpResponse:
    """One section on the phone: numbered lines, the delegate's private note, and a comment form."""
    congress = request.congress
    delegate = request.actor.delegate
    d = get_object_or_404(DraftDocument, pk=draft_id, congress=congress)
    sections = list(d.current_sections())
    section = next((s for s in sections if s.pk == section_id), None)
    if section is None:
        return render(request, "drafts/phone_gone.html", {"congress": congress, "draft": d}, status=404)
    error = None
    values = {"kind": "", "text": ""}
    if request.method == "POST":
        try:
            if request.POST.get("op") == "note":
                comment_actions.save_note(delegate, section, request.actor, text=request.POST.get("note", ""))
                messages.success(request, _("Đã lưu ghi chú riêng."))
            else:
                values = {"kind": request.POST.get("kind", ""), "text": request.POST.get("text", "")}
                comment_actions.delegate_comment(
                    d,
                    delegate,
                    request.actor,
                    section=section,
                    kind=values["kind"],
                    text=values["text"],  # type: ignore[attr-defined]
                )
                messages.success(request, _("Đã gửi ý kiến góp ý. Xin cảm ơn đồng chí."))
        except ActionError as refused:
            error = refused
        else:
            return redirect("my_section", slug, d.pk, section.pk)
    index = sections.index(section)
    numbered = dict((s.pk, lines) for s, lines in document_actions.numbered(sections))
    note = Note.objects.filter(delegate=delegate, section=section).first()
    context = {
        "congress": congress,
        "draft": d,
        "section": section,
        "lines": numbered[section.pk],
        "previous": sections[index - 1] if index else None,
        "next": sections[index + 1] if index + 1 < len(sections) else None,
        "position": index + 1,
        "count": len(sections),
        "note": note.text if note else "",
        "mine": list(Comment.objects.filter(delegate=delegate, section=section, source=Comment.Source.PHONE)),
        "kinds": Kind.choices,
        "values": values,
        "error": error,
    }
    return render(request, "drafts/phone_section.html", context, status=400 if error else 200)


# The unit's form (token link, no account) ---------------------------------------------------------------

FORM_ROWS = 5


@require_http_methods(["GET", "POST"])
def unit_form(request: HttpRequest, token: str) -> HttpResponse:
    """A unit's secretary sends the unit's comments on one draft (several rows at once)."""
    link = UnitLink.objects.select_related("congress").filter(token=token).first()
    if link is None or link.is_revoked:
        return render(request, "drafts/unit_form_gone.html", status=404)
    congress = link.congress
    all_drafts = list(DraftDocument.objects.filter(congress=congress).order_by("pk"))
    chosen = (
        request.POST.get("draft") or request.GET.get("draft") or (str(all_drafts[0].pk) if all_drafts else "")
    )
    d = next((x for x in all_drafts if str(x.pk) == chosen), None)
    error = None
    rows = [{"section": "", "kind": "", "text": ""} for _ in range(FORM_ROWS)]
    if request.method == "POST" and d is not None:
        rows = [
            {"section": s, "kind": k, "text": t}
            for s, k, t in zip(
                request.POST.getlist("section"),
                request.POST.getlist("kind"),
                request.POST.getlist("text"),
                strict=False,
            )
        ]
        try:
            made = comment_actions.unit_form_comments(
                link, d, [comment_actions.Entry(r["section"], r["kind"], r["text"]) for r in rows]
            )
        except ActionError as refused:
            error = refused
        else:
            messages.success(
                request,
                _("Đã gửi %(count)s ý kiến của %(unit)s.") % {"count": len(made), "unit": link.unit_name},
            )
            return redirect(f"{reverse('unit_form', args=[token])}?draft={d.pk}")
    sent = Comment.objects.filter(
        unit_name=link.unit_name, congress=congress, source=Comment.Source.UNIT_FORM
    )
    context = {
        "link": link,
        "congress": congress,
        "drafts": all_drafts,
        "draft": d,
        "sections": list(d.current_sections()) if d else [],
        "rows": rows,
        "kinds": Kind.choices,
        "sent": sent.count(),
        "error": error,
    }
    return render(request, "drafts/unit_form.html", context, status=400 if error else 200)


@require_POST
@congress_view(_O, _S)
def comment_correct(request: CongressRequest, slug: str, comment_id: int) -> HttpResponse:
    """Correct a comment's text (the original is kept and the change audited)."""
    comment = get_object_or_404(Comment, pk=comment_id, congress=request.congress)
    try:
        comment_actions.correct_comment(comment, request.actor, text=request.POST.get("text", ""))
    except ActionError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Đã sửa nội dung ý kiến; nội dung gốc vẫn được giữ."))
    return redirect(reverse("draft_comments", args=[slug, comment.draft_id]) + f"#c{comment.pk}")
