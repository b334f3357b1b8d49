"""The projector screen without its socket: it falls back to polling `state.json`, says so, and still
follows the congress. And its countdown: warning colour in the last minute, overtime after."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, expect

from daihoi.congress.access import SYSTEM
from daihoi.congress.actions import agenda, speakers
from daihoi.congress.models import AgendaItem, Delegate, SpeakerRequest
from tests.factories import make_congress

FULL_HD = {"viewport": {"width": 1920, "height": 1080}, "locale": "vi-VN"}
# As if a proxy or an old hall router refused WebSockets.
NO_WEBSOCKET = "window.WebSocket = function () { throw new Error('WebSocket blocked'); };"


def prepared_congress():
    congress = make_congress(delegates=4)
    for title in ["Khai mạc", "Thảo luận", "Bế mạc"]:
        agenda.add_item(congress, SYSTEM, title=title)
    Delegate.objects.filter(congress=congress, number__lte=3).update(
        attendance=Delegate.Attendance.PRESENT, checked_in_at=timezone.now()
    )
    return congress


def item(congress, title: str) -> AgendaItem:
    return AgendaItem.objects.get(congress=congress, title=title)


@pytest.mark.django_db(transaction=True)
def test_the_screen_falls_back_to_polling_when_websockets_are_blocked_and_still_updates(
    server_url: str, browser: Browser
):
    congress = prepared_congress()
    context = browser.new_context(**FULL_HD)
    context.add_init_script(NO_WEBSOCKET)
    screen = context.new_page()
    screen.goto(server_url + reverse("screen", args=[congress.slug, congress.screen_token]))

    mode = screen.locator("[data-field=mode]")
    expect(mode).to_have_attribute("data-mode", "polling")
    expect(mode).to_have_text("Cập nhật định kỳ")
    expect(screen.locator("[data-field=item-title]")).to_have_text("Chưa bắt đầu")

    # Changes made elsewhere (here: straight through the actions) reach the screen by polling.
    agenda.set_current_item(congress, item(congress, "Thảo luận"), SYSTEM)
    expect(screen.locator("[data-field=item-title]")).to_have_text("Thảo luận")
    expect(screen.locator("[data-field=item-next]")).to_have_text("Bế mạc")

    me = congress.delegates.get(number=2)
    r = speakers.request_floor(congress, me, SYSTEM, topic="Về an sinh xã hội")
    speakers.approve(congress, r, SYSTEM)
    speakers.start_speaker(congress, r, SYSTEM)
    expect(screen.locator("[data-field=speaker-name]")).to_have_text(me.full_name)
    timer = screen.locator("[data-field=timer]")
    expect(timer).to_have_text(re.compile(r"^[67]:\d\d$"))
    first = timer.inner_text()
    expect(timer).not_to_have_text(first)

    Delegate.objects.filter(pk=congress.delegates.get(number=4).pk).update(
        attendance=Delegate.Attendance.PRESENT
    )
    speakers.stop_speaker(congress, r, SYSTEM)  # any change publishes; the poll reads everything
    expect(screen.locator("[data-field=present]")).to_have_text("4")
    expect(screen.locator("[data-field=speaker-none]")).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_the_timer_warns_in_the_last_minute_and_counts_overtime(server_url: str, browser: Browser):
    congress = prepared_congress()
    agenda.set_current_item(congress, item(congress, "Thảo luận"), SYSTEM)
    me = congress.delegates.get(number=1)
    r = speakers.request_floor(congress, me, SYSTEM)
    speakers.approve(congress, r, SYSTEM)
    speakers.start_speaker(congress, r, SYSTEM)
    # Started 6 min 30 s ago with 7 minutes: 30 s left. The screen's own clock is not consulted.
    SpeakerRequest.objects.filter(pk=r.pk).update(started_at=timezone.now() - dt.timedelta(seconds=390))

    screen = browser.new_context(**FULL_HD).new_page()
    screen.goto(server_url + reverse("screen", args=[congress.slug, congress.screen_token]))
    panel = screen.locator("[data-field=speaker-panel]")
    timer = screen.locator("[data-field=timer]")
    expect(panel).to_have_attribute("data-timer", "warning")
    expect(timer).to_have_text(re.compile(r"^0:[0-3]\d$"))

    SpeakerRequest.objects.filter(pk=r.pk).update(started_at=timezone.now() - dt.timedelta(seconds=425))
    speakers.set_time_limit(congress, r, 420, SYSTEM)  # publishes the new anchor
    screen.reload()
    expect(panel).to_have_attribute("data-timer", "overtime")
    expect(timer).to_have_text(re.compile(r"^\+0:\d\d$"))
    expect(screen.locator("[data-field=timer-note]")).to_have_text("Quá giờ")
