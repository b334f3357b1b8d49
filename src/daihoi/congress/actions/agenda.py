"""The agenda: ordered items, at most one of them current.

Every change locks the congress row first, so two people pressing "set current" at once still leave
exactly one current item. Setting a new current item marks the previous one done. Each function
audits its change and publishes the `agenda` live section after commit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from daihoi.audit import log as audit
from daihoi.congress import live
from daihoi.congress.access import Actor
from daihoi.congress.actions.steps import commit_change, lock_congress, locked_row, require_in_session
from daihoi.congress.errors import ActionError
from daihoi.congress.models import AgendaItem, Congress

TITLE_MAX = 300
PRESENTER_MAX = 200
DAY_MAX = 31


def item_facts(item: AgendaItem) -> dict[str, Any]:
    return {
        "order": item.order,
        "day": item.day,
        "starts_at": item.starts_at.strftime("%H:%M") if item.starts_at else None,
        "title": item.title,
        "presenter": item.presenter,
        "status": item.status,
    }


_lock = lock_congress


def _locked_item(congress: Congress, item: AgendaItem | int) -> AgendaItem:
    return locked_row(
        AgendaItem.objects.filter(congress=congress),
        item,
        "item_not_found",
        _("Không tìm thấy nội dung số %(id)s trong chương trình đại hội này."),
    )


def _require_open(congress: Congress) -> None:
    if congress.state == Congress.State.CLOSED:
        raise ActionError("congress_closed", _("Đại hội đã bế mạc, không thể sửa chương trình."))


def _require_in_session(congress: Congress) -> None:
    require_in_session(congress, _("Chỉ điều hành chương trình khi đại hội đang họp (hiện: “%(state)s”)."))


def _clean(title: str, presenter: str, day: int) -> tuple[str, str]:
    title = " ".join((title or "").split())
    presenter = " ".join((presenter or "").split())
    if not title:
        raise ActionError("title_required", _("Nội dung: chưa nhập tên nội dung."), field="title")
    if len(title) > TITLE_MAX:
        raise ActionError(
            "title_too_long",
            _("Nội dung: dài %(length)s ký tự, tối đa %(max)s.") % {"length": len(title), "max": TITLE_MAX},
            field="title",
            length=len(title),
            max=TITLE_MAX,
        )
    if len(presenter) > PRESENTER_MAX:
        raise ActionError(
            "presenter_too_long",
            _("Người trình bày: dài %(length)s ký tự, tối đa %(max)s.")
            % {"length": len(presenter), "max": PRESENTER_MAX},
            field="presenter",
            length=len(presenter),
            max=PRESENTER_MAX,
        )
    if not 1 <= day <= DAY_MAX:
        raise ActionError(
            "bad_day",
            _("Ngày thứ: phải từ 1 đến %(max)s (đã nhập %(day)s).") % {"day": day, "max": DAY_MAX},
            field="day",
            day=day,
        )
    return title, presenter


def add_item(
    congress: Congress,
    actor: Actor,
    *,
    title: str,
    presenter: str = "",
    day: int = 1,
    starts_at: dt.time | None = None,
) -> AgendaItem:
    """Append an upcoming item at the end of the agenda."""
    title, presenter = _clean(title, presenter, day)
    with transaction.atomic():
        congress = _lock(congress)
        _require_open(congress)
        last = AgendaItem.objects.filter(congress=congress).aggregate(m=Max("order"))["m"] or 0
        item = AgendaItem.objects.create(
            congress=congress, order=last + 1, day=day, starts_at=starts_at, title=title, presenter=presenter
        )
        audit.record(
            actor=actor.label, action="agenda.add", congress_id=congress.pk, obj=item, after=item_facts(item)
        )
        live.publish(congress)
    return item


def edit_item(
    congress: Congress,
    item: AgendaItem | int,
    actor: Actor,
    *,
    title: str,
    presenter: str = "",
    day: int = 1,
    starts_at: dt.time | None = None,
) -> AgendaItem:
    """Change an item's title, presenter, day or time; its place and status stay."""
    title, presenter = _clean(title, presenter, day)
    with transaction.atomic():
        congress = _lock(congress)
        _require_open(congress)
        item = _locked_item(congress, item)
        before = item_facts(item)
        item.title, item.presenter, item.day, item.starts_at = title, presenter, day, starts_at
        commit_change(
            congress,
            item,
            actor,
            "agenda.edit",
            before,
            item_facts(item),
            ["title", "presenter", "day", "starts_at"],
        )
    return item


def move_item(congress: Congress, item: AgendaItem | int, direction: str, actor: Actor) -> AgendaItem:
    """Swap an item with its neighbour above (`up`) or below (`down`)."""
    if direction not in ("up", "down"):
        raise ActionError(
            "bad_direction",
            _("Hướng di chuyển không hợp lệ: “%(d)s”.") % {"d": direction},
            direction=direction,
        )
    with transaction.atomic():
        congress = _lock(congress)
        _require_open(congress)
        item = _locked_item(congress, item)
        others = AgendaItem.objects.select_for_update().filter(congress=congress)
        neighbour = (
            others.filter(order__lt=item.order).order_by("-order").first()
            if direction == "up"
            else others.filter(order__gt=item.order).order_by("order").first()
        )
        if neighbour is None:
            message = (
                _("“%(title)s” đã ở đầu chương trình.")
                if direction == "up"
                else _("“%(title)s” đã ở cuối chương trình.")
            )
            raise ActionError("cannot_move", message % {"title": item.title}, direction=direction)
        before = {"order": item.order, "neighbour": neighbour.title, "neighbour_order": neighbour.order}
        # (congress, order) is unique and checked row by row: park the item past the end while swapping.
        mine, theirs = item.order, neighbour.order
        parked = (others.aggregate(m=Max("order"))["m"] or 0) + 1
        AgendaItem.objects.filter(pk=item.pk).update(order=parked)
        AgendaItem.objects.filter(pk=neighbour.pk).update(order=mine)
        AgendaItem.objects.filter(pk=item.pk).update(order=theirs)
        item.order = theirs
        audit.record(
            actor=actor.label,
            action="agenda.move",
            congress_id=congress.pk,
            obj=item,
            before=before,
            after={"order": item.order, "direction": direction},
        )
        live.publish(congress)
    return item


def delete_item(congress: Congress, item: AgendaItem | int, actor: Actor) -> None:
    """Remove an upcoming item that nobody asked to speak on."""
    with transaction.atomic():
        congress = _lock(congress)
        _require_open(congress)
        item = _locked_item(congress, item)
        if item.status != AgendaItem.Status.UPCOMING:
            raise ActionError(
                "item_started",
                _("Không thể xoá “%(title)s”: nội dung này đã hoặc đang diễn ra.") % {"title": item.title},
                status=item.status,
            )
        requests = item.speaker_requests.count()
        if requests:
            raise ActionError(
                "item_has_speakers",
                _("Không thể xoá “%(title)s”: đã có %(n)s lượt đăng ký phát biểu.")
                % {"title": item.title, "n": requests},
                requests=requests,
            )
        before = item_facts(item)
        audit.record(
            actor=actor.label, action="agenda.delete", congress_id=congress.pk, obj=item, before=before
        )
        item.delete()
        live.publish(congress)


def set_current_item(congress: Congress, item: AgendaItem | int, actor: Actor) -> AgendaItem:
    """Make `item` the one current item; the previous current item (if any) is marked done."""
    with transaction.atomic():
        congress = _lock(congress)
        _require_in_session(congress)
        item = _locked_item(congress, item)
        if item.status == AgendaItem.Status.CURRENT:
            raise ActionError(
                "already_current",
                _("“%(title)s” đang là nội dung hiện tại.") % {"title": item.title},
            )
        previous = list(
            AgendaItem.objects.select_for_update().filter(congress=congress, status=AgendaItem.Status.CURRENT)
        )
        for p in previous:
            p.status = AgendaItem.Status.DONE
            p.save(update_fields=["status"])
        before_status = item.status
        item.status = AgendaItem.Status.CURRENT
        return commit_change(
            congress,
            item,
            actor,
            "agenda.set_current",
            {"status": before_status, "current": [p.title for p in previous]},
            {"status": item.status, "done": [p.title for p in previous]},
            ["status"],
        )


def finish_item(congress: Congress, item: AgendaItem | int, actor: Actor) -> AgendaItem:
    """Mark the current item done; no item is current afterwards."""
    with transaction.atomic():
        congress = _lock(congress)
        _require_in_session(congress)
        item = _locked_item(congress, item)
        if item.status != AgendaItem.Status.CURRENT:
            raise ActionError(
                "not_current",
                _("“%(title)s” không phải nội dung đang diễn ra (hiện: “%(status)s”).")
                % {"title": item.title, "status": item.get_status_display()},
                status=item.status,
            )
        item.status = AgendaItem.Status.DONE
        return commit_change(
            congress,
            item,
            actor,
            "agenda.finish",
            {"status": AgendaItem.Status.CURRENT},
            {"status": item.status},
            ["status"],
        )


def current_item(congress: Congress) -> AgendaItem | None:
    return AgendaItem.objects.filter(congress=congress, status=AgendaItem.Status.CURRENT).first()


def _public(item: AgendaItem | None, number: int | None) -> dict[str, Any] | None:
    if item is None:
        return None
    return {"id": item.pk, "number": number, **item_facts(item)}


@live.register_section("agenda")
def agenda_section(congress: Congress) -> dict[str, Any]:
    """The current item, the next upcoming one, and the whole list with statuses (numbered from 1)."""
    items = list(AgendaItem.objects.filter(congress=congress).order_by("order"))
    numbered = list(enumerate(items, start=1))
    current = next(((n, i) for n, i in numbered if i.status == AgendaItem.Status.CURRENT), None)
    after = current[1].order if current else -1
    upcoming = next(
        ((n, i) for n, i in numbered if i.status == AgendaItem.Status.UPCOMING and i.order > after), None
    )
    return {
        "current": _public(current[1], current[0]) if current else None,
        "next": _public(upcoming[1], upcoming[0]) if upcoming else None,
        "items": [_public(i, n) for n, i in numbered],
    }
