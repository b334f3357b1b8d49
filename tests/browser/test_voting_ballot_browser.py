"""A delegate casts an electronic ballot on a small phone with the keyboard alone: strikes names, is
refused a name too many, reviews, confirms, gets the acknowledgement and the ballot tracker (the marks encrypted in
the browser, then read only through the committee's decryption of the totals); axe-core finds
no serious or critical problem on the ballot or the confirmation."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from daihoi.congress.models import Delegate
from daihoi.voting.models import Election, ElectionParticipation, ElectronicBallot
from tests.support.ballots import open_election
from tests.support.browser import box_of
from tests.voting.evote_helpers import decrypt_totals

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PHONE = {
    "viewport": {"width": 360, "height": 640},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}


def axe_violations(page: Page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def tab_to(page: Page, element_id: str, limit: int = 60) -> None:
    """Press Tab until the element has the focus, as a keyboard user does."""
    for _ in range(limit):
        if page.evaluate("() => document.activeElement && document.activeElement.id") == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"#{element_id} never got the focus with Tab")


@pytest.mark.django_db(transaction=True)
def test_delegate_casts_with_the_keyboard_alone_on_a_phone(server_url: str, browser: Browser):
    election = open_election(delegates=20, candidates=17, seats=15)
    delegate = Delegate.objects.get(congress=election.congress, number=7)
    names = list(election.candidates.order_by("ballot_position").values_list("full_name", flat=True))

    page = browser.new_context(**PHONE).new_page()
    page.goto(server_url + reverse("delegate_card", args=[delegate.code]))
    page.goto(server_url + reverse("delegate_ballot", args=[election.congress.slug, election.pk]))
    counter = page.locator("#ballot-counter")
    expect(counter).to_have_text("Giữ 17/15")  # a ballot starts with every name whole, as on paper
    assert counter.get_attribute("aria-live") == "polite"
    assert axe_violations(page) == []

    # Every toggle is a large target, labelled with the name.
    for code in ("c01", "c17"):
        box = box_of(page.locator(f"label[for=keep-{code}]"))
        assert box is not None and box["height"] >= 48 and box["width"] >= 48
    expect(page.get_by_role("checkbox", name=names[0])).to_be_checked()

    # Strike the first two names with Tab and Space.
    tab_to(page, "keep-c01")
    page.keyboard.press("Space")
    expect(counter).to_have_text("Giữ 16/15")
    expect(page.locator("#state-c01")).to_have_text("Gạch")  # said in words, not only by colour
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    expect(counter).to_have_text("Giữ 15/15")

    # Keeping a 16th name is refused at once, and the reason is announced.
    page.keyboard.press("Space")
    expect(page.locator("#ballot-message")).to_contain_text("bạn đã giữ đủ 15 người")
    expect(page.locator("#keep-c02")).not_to_be_checked()
    expect(counter).to_have_text("Giữ 15/15")

    if os.environ.get("DAIHOI_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "ballot-phone.png"), full_page=True)

    # Review: the confirmation lists the 15 kept names and takes the focus.
    tab_to(page, "ballot-review")
    page.keyboard.press("Enter")
    confirm = page.locator("#ballot-confirm")
    expect(confirm).to_be_visible()
    expect(page.locator("#confirm-title")).to_be_focused()
    expect(page.locator("#confirm-kept li")).to_have_count(15)
    expect(page.locator("#confirm-kept")).not_to_contain_text(names[0])
    assert axe_violations(page) == []
    assert not ElectronicBallot.objects.filter(election=election).exists()  # nothing cast yet

    tab_to(page, "ballot-cast")
    page.keyboard.press("Enter")
    ack = page.locator("#ballot-ack")
    expect(ack).to_be_visible()
    expect(page.locator("#ack-title")).to_be_focused()
    tracker = page.locator("#tracker-code")
    expect(tracker).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
    assert axe_violations(page) == []

    # The server holds ciphertexts only; the phone's tracker is the stored ballot's, and the committee's
    # decryption of the totals (2 of 3) reads what the phone encrypted: c01 and c02 struck, 15 kept.
    ballot = ElectronicBallot.objects.get(election=election)
    assert ballot.tracker == tracker.inner_text()
    Election.objects.filter(pk=election.pk).update(status=Election.Status.CLOSED)
    counts = decrypt_totals(Election.objects.get(pk=election.pk)).counts
    assert counts == [0, 0, *([1] * 15), 0]
    assert ElectronicBallot.objects.get(election=election).verdict == "accepted"
    Election.objects.filter(pk=election.pk).update(status=Election.Status.OPEN)
    assert ElectionParticipation.objects.get(election=election).delegate_id == delegate.pk

    # Coming back to the page says the ballot is in, and offers no second ballot.
    page.reload()
    expect(page.locator("[data-code=already_voted]")).to_be_visible()
    expect(page.locator(".ballot-toggle")).to_have_count(0)
