"""P19 keeping and deadlines, as pure date functions (working days are Monday to Friday, less holidays)."""

from __future__ import annotations

import calendar
from collections.abc import Collection
from datetime import date, timedelta

from daihoi.rules.errors import RuleError

KEEP_MONTHS = 6
COMPLAINT_WORKING_DAYS = 15
REPORT_WORKING_DAYS = 7
CONFIRM_WORKING_DAYS = 15


def is_working_day(day: date, holidays: Collection[date] = ()) -> bool:
    return day.weekday() < 5 and day not in holidays


def add_working_days(start: date, days: int, holidays: Collection[date] = ()) -> date:
    """The date `days` working days after `start` (start itself is not counted)."""
    if days < 0:
        raise RuleError("negative_days", days=days)
    day = start
    while days:
        day += timedelta(days=1)
        if is_working_day(day, holidays):
            days -= 1
    return day


def add_months(start: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it is shorter (31 Aug + 6 → 28/29 Feb)."""
    if months < 0:
        raise RuleError("negative_days", days=months)
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def keep_ballots_until(sealed_on: date) -> date:
    """Sealed ballots are kept 6 months; on this date, with no complaint, they may be destroyed."""
    return add_months(sealed_on, KEEP_MONTHS)


def may_destroy_ballots(sealed_on: date, on: date, *, has_open_complaint: bool) -> bool:
    return not has_open_complaint and on >= keep_ballots_until(sealed_on)


def complaint_deadline(closed_on: date, holidays: Collection[date] = ()) -> date:
    """The last day to lodge a complaint: 15 working days after the congress closes."""
    return add_working_days(closed_on, COMPLAINT_WORKING_DAYS, holidays)


def report_deadline(closed_on: date, holidays: Collection[date] = ()) -> date:
    """The new committee reports the results upward within 7 working days."""
    return add_working_days(closed_on, REPORT_WORKING_DAYS, holidays)


def confirmation_deadline(reported_on: date, holidays: Collection[date] = ()) -> date:
    """The higher committee confirms within 15 working days of the report."""
    return add_working_days(reported_on, CONFIRM_WORKING_DAYS, holidays)
