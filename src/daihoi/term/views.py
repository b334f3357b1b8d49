"""Pages of the resolution and the term. Each view goes through the gate, parses, calls one action, renders."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from daihoi.congress import exports
from daihoi.congress.access import CongressRequest, Role, congress_view
from daihoi.congress.errors import ActionError
from daihoi.congress.models import Congress
from daihoi.term import actions, dashboard, documents, imports, news
from daihoi.term.models import Area, Direction, KeyTask, Kind, Mean, NewsPage, Target
from daihoi.voting.documents import RENDERERS, Document
from daihoi.voting.models import Motion

READ = (Role.ORGANIZER, Role.PRESIDIUM, Role.SECRETARIAT)
EDIT = (Role.ORGANIZER, Role.SECRETARIAT)  # the secretariat drafts; the standing committee reports
ADOPT = (Role.ORGANIZER, Role.PRESIDIUM, Role.SECRETARIAT)
MAX_PROBLEMS_SHOWN = 200


def _file(doc: Document, fmt: str) -> HttpResponse:
    render_fn, content_type = RENDERERS[fmt]
    response = HttpResponse(render_fn(doc), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{doc.filename}.{fmt}"'
    return response


def _context(request: CongressRequest, **extra: object) -> dict[str, object]:
    congress: Congress = request.congress
    actor = request.actor
    return {
        "congress": congress,
        "may_edit": actor.has(*EDIT),
        "may_adopt": actor.has(*ADOPT),
        "is_organizer": actor.has(Role.ORGANIZER),
        "years": list(range(congress.term_start + 1, congress.term_end + 1)),
        **extra,
    }


# --- the resolution ---------------------------------------------------------------------------------


@require_GET
@congress_view(*READ)
def term_home(request: CongressRequest, slug: str) -> HttpResponse:
    congress: Congress = request.congress
    resolution = actions.resolution_of(congress)
    state = actions.resolution_state(resolution)
    return render(
        request,
        "term/home.html",
        _context(
            request,
            resolution=resolution,
            state=state,
            is_frozen=state in (actions.State.VOTING, actions.State.ADOPTED),
            targets=[(t, documents.target_text(t)) for t in actions.own_targets(congress)],
            tasks=KeyTask.objects.filter(congress=congress),
            kinds=Kind.choices,
            directions=Direction.choices,
            means=Mean.choices,
            areas=Area.choices,
        ),
    )


def _back(
    slug: str, error: ActionError | None = None, request: HttpRequest | None = None, ok: str = ""
) -> HttpResponse:
    if request is not None:
        if error is not None:
            messages.error(request, error.message)
        elif ok:
            messages.success(request, ok)
    return redirect("term_home", slug)


@require_POST
@congress_view(*EDIT)
def resolution_save(request: CongressRequest, slug: str) -> HttpResponse:
    try:
        actions.save_resolution(
            request.congress,
            request.actor,
            general_goal=request.POST.get("general_goal", ""),
            other_articles=request.POST.get("other_articles", ""),
        )
    except ActionError as e:
        return _back(slug, e, request)
    return _back(slug, None, request, _("Đã lưu dự thảo nghị quyết."))


def _target_input(request: HttpRequest) -> actions.TargetInput:
    p = request.POST
    return actions.TargetInput(
        name=p.get("name", ""),
        kind=p.get("kind", ""),
        direction=p.get("direction", ""),
        target_value=p.get("target_value", ""),
        unit=p.get("unit", ""),
        area=p.get("area", Area.OTHER),
        mean=p.get("mean", Mean.COMPOUND),
        baseline=p.get("baseline", ""),
    )


@require_POST
@congress_view(*EDIT)
def target_add(request: CongressRequest, slug: str) -> HttpResponse:
    try:
        t = actions.add_target(request.congress, request.actor, _target_input(request))
    except ActionError as e:
        return _back(slug, e, request)
    return _back(slug, None, request, _("Đã thêm chỉ tiêu %(n)s.") % {"n": t.number})


@require_POST
@congress_view(*EDIT)
def target_delete(request: CongressRequest, slug: str, target_id: int) -> HttpResponse:
    try:
        actions.delete_target(request.congress, request.actor, target_id)
    except ActionError as e:
        return _back(slug, e, request)
    return _back(slug, None, request, _("Đã xóa chỉ tiêu."))


@require_POST
@congress_view(*EDIT)
def task_add(request: CongressRequest, slug: str) -> HttpResponse:
    try:
        actions.add_key_task(
            request.congress,
            request.actor,
            text=request.POST.get("text", ""),
            is_breakthrough=request.POST.get("is_breakthrough") == "on",
        )
    except ActionError as e:
        return _back(slug, e, request)
    return _back(slug, None, request, _("Đã thêm nhiệm vụ."))


@require_POST
@congress_view(*EDIT)
def task_delete(request: CongressRequest, slug: str, key_task_id: int) -> HttpResponse:
    try:
        actions.delete_key_task(request.congress, request.actor, key_task_id)
    except ActionError as e:
        return _back(slug, e, request)
    return _back(slug, None, request, _("Đã xóa nhiệm vụ."))


@require_POST
@congress_view(*ADOPT)
def resolution_adopt(request: CongressRequest, slug: str) -> HttpResponse:
    """Create the adoption motion (electronic unless the form says show of hands) and go to its page."""
    method = request.POST.get("method", Motion.Method.ELECTRONIC)
    try:
        motion = actions.propose_adoption(request.congress, request.actor, method=method)
    except ActionError as e:
        return _back(slug, e, request)
    return redirect("motion_detail", slug, motion.pk)


@require_GET
@congress_view(*READ)
def resolution_docx(request: CongressRequest, slug: str) -> HttpResponse:
    return _file(documents.resolution_document(request.congress), "docx")


@require_GET
@congress_view(*READ)
def resolution_pdf(request: CongressRequest, slug: str) -> HttpResponse:
    return _file(documents.resolution_document(request.congress), "pdf")


# --- the review of the last term --------------------------------------------------------------------


def _review_page(
    request: CongressRequest, report: imports.ImportReport | None = None, error: ActionError | None = None
) -> HttpResponse:
    congress: Congress = request.congress
    lines, summary = actions.judge_targets(actions.review_targets(congress))
    status = 400 if error or (report and not report.is_ok) else 200
    return render(
        request,
        "term/review.html",
        _context(
            request,
            lines=lines,
            summary=summary,
            summary_line=documents.summary_line(summary) if lines else "",
            rows=list(
                zip(documents.review_rows(lines), [x.judgement.outcome.value for x in lines], strict=True)
            ),
            previous=actions.previous_congress(congress),
            review_years=sorted(
                {y for line in lines for y in range(line.target.term_start + 1, line.target.term_end + 1)}
            ),
            report=report,
            problems=report.problems[:MAX_PROBLEMS_SHOWN] if report else [],
            error=error,
        ),
        status=status,
    )


@require_GET
@congress_view(*READ)
def review(request: HttpRequest, slug: str) -> HttpResponse:
    return _review_page(request)


@require_POST
@congress_view(*EDIT)
def review_import(request: CongressRequest, slug: str) -> HttpResponse:
    upload = request.FILES.get("file")
    if upload is None:
        return _review_page(request, error=ActionError("no_file", _("Chưa chọn tệp Excel để nhập.")))
    try:
        report = imports.import_review(
            request.congress,
            upload.name or "",
            upload.read(),
            request.actor,
        )
    except ActionError as e:
        return _review_page(request, error=e)
    if not report.is_ok:
        return _review_page(request, report=report)
    messages.success(
        request,
        _("Đã nhập %(t)s chỉ tiêu và %(v)s giá trị từ tệp “%(f)s”.")
        % {"t": report.targets, "v": report.values, "f": report.filename},
    )
    return redirect("term_review", slug)


@require_POST
@congress_view(*EDIT)
def review_previous(request: CongressRequest, slug: str) -> HttpResponse:
    try:
        n = actions.take_review_from_previous(request.congress, request.actor)
    except ActionError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("Đã lấy %(n)s chỉ tiêu từ đại hội lần trước.") % {"n": n})
    return redirect("term_review", slug)


@require_GET
@congress_view(*READ)
def review_docx(request: CongressRequest, slug: str) -> HttpResponse:
    return _file(documents.review_document(request.congress), "docx")


@require_GET
@congress_view(*READ)
def review_xlsx(request: CongressRequest, slug: str) -> HttpResponse:
    filename, data = exports.export("term_review", request.congress)
    response = HttpResponse(data, content_type=exports.CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- following the term -----------------------------------------------------------------------------


def _year(congress: Congress, year: int) -> int:
    if not congress.term_start < year <= congress.term_end:
        raise Http404(_("Năm %(y)s không thuộc nhiệm kỳ.") % {"y": year})
    return year


def _year_targets(congress: Congress, year: int, review: bool) -> list[Target]:
    """The targets a year's page lists: this term's, or the last term's under review; 404 outside their term."""
    targets = actions.review_targets(congress) if review else actions.own_targets(congress)
    if review:
        if not any(t.term_start < year <= t.term_end for t in targets):
            raise Http404(_("Năm %(y)s không thuộc nhiệm kỳ.") % {"y": year})
    else:
        _year(congress, year)
    return targets


def _year_page(
    request: CongressRequest,
    year: int,
    *,
    review: bool,
    error: ActionError | None = None,
    report: imports.ImportReport | None = None,
) -> HttpResponse:
    congress: Congress = request.congress
    rows = []
    for t in _year_targets(congress, year, review):
        v = next((x for x in t.values.all() if x.year == year), None)
        value, note = (v.value, v.note) if v else ("", "")
        if error:  # show what was typed, to be corrected
            value = request.POST.get(f"value-{t.pk}", value)
            note = request.POST.get(f"note-{t.pk}", note)
        rows.append({"target": t, "value": value, "note": note, "text": documents.target_text(t)})
    save = "term_review_year_save" if review else "term_year_save"
    status = 400 if error or (report and not report.is_ok) else 200
    return render(
        request,
        "term/year.html",
        _context(
            request,
            year=year,
            rows=rows,
            review=review,
            save_url=reverse(save, args=[congress.slug, year]),
            error=error,
            report=report,
            problems=report.problems[:MAX_PROBLEMS_SHOWN] if report else [],
            is_adopted=review
            or actions.resolution_state(actions.resolution_of(congress)) == actions.State.ADOPTED,
        ),
        status=status,
    )


def _save_year(request: CongressRequest, slug: str, year: int, *, review: bool) -> HttpResponse:
    congress: Congress = request.congress
    targets = _year_targets(congress, year, review)
    done = "term_review" if review else "term_dashboard"
    report: imports.ImportReport | None = None
    try:
        if "file" in request.FILES and not review:
            upload = request.FILES["file"]
            report = imports.import_year(congress, year, upload.name or "", upload.read(), request.actor)
            if report.is_ok:
                messages.success(request, _("Đã nhập kết quả năm %(y)s từ tệp.") % {"y": year})
                return redirect(done, slug)
        else:
            entries = {
                t.pk: (request.POST.get(f"value-{t.pk}", ""), request.POST.get(f"note-{t.pk}", ""))
                for t in targets
                if t.term_start < year <= t.term_end
            }
            n = actions.record_year(congress, year, entries, request.actor, review=review)
            messages.success(request, _("Đã lưu %(n)s kết quả năm %(y)s.") % {"n": n, "y": year})
            return redirect(done, slug)
    except ActionError as e:
        return _year_page(request, year, review=review, error=e)
    return _year_page(request, year, review=review, report=report)


@require_GET
@congress_view(*READ)
def year_values(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """The year's achieved value and note of each target of this term."""
    return _year_page(request, year, review=False)


@require_POST
@congress_view(*EDIT)
def year_save(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """The standing committee saves the year's values at once, or imports the year's Excel."""
    return _save_year(request, slug, year, review=False)


@require_GET
@congress_view(*READ)
def review_year(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """A year of the last term's targets under review."""
    return _year_page(request, year, review=True)


@require_POST
@congress_view(*EDIT)
def review_year_save(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    return _save_year(request, slug, year, review=True)


@require_GET
@congress_view(*READ)
def term_dashboard(request: CongressRequest, slug: str) -> HttpResponse:
    congress: Congress = request.congress
    as_of, cards = dashboard.cards(congress)
    return render(
        request,
        "term/dashboard.html",
        _context(request, as_of=as_of, cards=cards, counts=dashboard.counts(cards)),
    )


@require_GET
@congress_view(*READ)
def year_report_docx(request: CongressRequest, slug: str, year: int) -> HttpResponse:
    congress: Congress = request.congress
    return _file(documents.year_report_document(congress, _year(congress, year)), "docx")


@require_GET
@congress_view(*READ)
def midterm_docx(request: CongressRequest, slug: str) -> HttpResponse:
    """The mid-term review: the middle year of the term, or the last year reported if that comes earlier."""
    congress: Congress = request.congress
    middle = congress.term_start + (congress.term_end - congress.term_start + 1) // 2
    reported = dashboard.as_of_year(congress, actions.own_targets(congress))
    year = max(congress.term_start + 1, min(middle, reported))
    return _file(documents.year_report_document(congress, year, midterm=True), "docx")


@require_POST
@congress_view(Role.ORGANIZER)
def next_congress(request: CongressRequest, slug: str) -> HttpResponse:
    congress: Congress = request.congress
    try:
        nxt = actions.start_next_congress(
            congress,
            request.actor,
            slug=request.POST.get("slug", "") or f"{congress.slug}-{congress.ordinal + 1}",
            starts_on=_date_or_none(request.POST.get("starts_on", "")),
        )
    except ActionError as e:
        messages.error(request, e.message)
        return redirect("term_dashboard", slug)
    messages.success(request, _("Đã tạo %(name)s với phần đánh giá nhiệm kỳ này.") % {"name": nxt.name})
    return redirect("term_review", nxt.slug)


def _date_or_none(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


# --- the news page ----------------------------------------------------------------------------------


@require_GET
@congress_view(*READ)
def news_page(request: CongressRequest, slug: str) -> HttpResponse:
    congress: Congress = request.congress
    page = actions.news_page_of(congress)
    public_url = request.build_absolute_uri(reverse("term_public_news", args=[page.token]))
    return render(
        request,
        "term/news.html",
        _context(request, news=news.compose(congress), page=page, public_url=public_url, is_public=False),
    )


@require_GET
@congress_view(*READ)
def news_docx(request: CongressRequest, slug: str) -> HttpResponse:
    return _file(documents.news_document(request.congress), "docx")


@require_POST
@congress_view(Role.ORGANIZER)
def news_publish(request: CongressRequest, slug: str) -> HttpResponse:
    publish = request.POST.get("publish") == "1"
    actions.publish_news(request.congress, request.actor, publish=publish)
    messages.success(request, _("Đã công bố trang tin.") if publish else _("Đã ngừng công bố trang tin."))
    return redirect("term_news", slug)


@require_GET
def public_news(request: HttpRequest, token: str) -> HttpResponse:
    """The read-only news page on its public link, only while the organizer publishes it."""
    page = get_object_or_404(NewsPage.objects.select_related("congress"), token=token, is_published=True)
    congress = page.congress
    return render(
        request,
        "term/news.html",
        {"congress": congress, "news": news.compose(congress), "page": page, "is_public": True},
    )
