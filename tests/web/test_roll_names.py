"""Names are clean: control characters refused, invisible characters removed, and duplicates caught when
they differ only by an invisible character or a look-alike letter (Cyrillic "Т" for Latin "T")."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from daihoi.congress.access import SYSTEM, Role
from daihoi.congress.actions.roll import add_guest
from daihoi.congress.errors import ActionError
from daihoi.congress.models import Congress, Delegate, Guest
from daihoi.congress.names import NameProblem, clean_name, name_skeleton, normalize_name, search_key
from daihoi.voting.models import Candidate, Election
from tests.factories import login_as, make_congress
from tests.support.roll import csv_bytes, row, run_import, xlsx

RLO, LRO, PDF, ZWSP, ZWJ, BOM, SHY = "\u202e", "\u202d", "\u202c", "\u200b", "\u200d", "\ufeff", "\u00ad"
CYRILLIC_TE, LATIN_T = "\u0422", "T"


# The functions ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "char", "position"),
    [("Nguyễn\x00Văn A", "U+0000", 7), ("Lê\x07Thị B", "U+0007", 3), ("\x1bTrần", "U+001B", 1),
     ("Phạm \ue000", "U+E000", 6), ("Hồ\x85Văn", "U+0085", 3), ("Vũ \ud800", "U+D800", 4)],
)  # fmt: skip
def test_control_private_and_unassigned_characters_are_refused(raw, char, position):
    with pytest.raises(NameProblem) as refused:
        clean_name(raw)
    assert (refused.value.code, refused.value.char, refused.value.position) == (
        "bad_character",
        char,
        position,
    )


def test_invisible_characters_are_removed_and_line_breaks_become_spaces():
    # The minutes printed "Nguyễn oảĐ năV" for a name with a right-to-left override.
    assert clean_name(f"Nguyễn {RLO}Văn Đoả{PDF}") == "Nguyễn Văn Đoả"
    assert clean_name(f"{BOM}Trần{ZWSP} Văn{ZWJ} A{SHY}") == "Trần Văn A"
    assert clean_name(f"Lê {LRO}Thị\tB\r\nC") == "Lê Thị B C"
    assert clean_name("Nguye\u0302\u0303n") == "Nguyễn"  # combining marks composed (NFC)


def test_names_that_only_look_alike_share_a_skeleton_and_diacritics_still_count():
    assert name_skeleton(f"{CYRILLIC_TE}rần Văn A") == name_skeleton(f"{LATIN_T}rần Văn A")
    assert name_skeleton("Trần Văn\u200b A") == name_skeleton("TRẦN  văn a")
    assert name_skeleton("Ðỗ Văn Ðức") == name_skeleton("Đỗ Văn Đức")  # Icelandic eth for Vietnamese Đ
    assert name_skeleton("Νguyễn Αnh") == name_skeleton("Nguyễn Anh")  # Greek capitals
    assert name_skeleton("Ｔrần") == name_skeleton("Trần")  # full-width
    assert name_skeleton("Nguyễn Văn Ánh") != name_skeleton("Nguyễn Văn Anh")
    assert name_skeleton("Lê Thị Hà") != name_skeleton("Lê Thị Hạ")


def test_normalize_and_search_never_refuse_and_drop_invisible_characters():
    assert normalize_name(f"A{ZWSP}n\x00") == "An\x00"  # refusing is clean_name's job
    assert search_key(f"Nguyễn {RLO}Văn") == "nguyen van"


# The roll import -----------------------------------------------------------------------------------------

pytestmark = pytest.mark.django_db


def empty_congress() -> Congress:
    return make_congress(delegates=0, state=Congress.State.PREPARATION)


def test_a_name_with_a_nul_is_a_row_problem_and_nothing_is_imported():
    congress = empty_congress()
    report = run_import(congress, csv_bytes([row(1), row(2, name="Trần\x00Văn B")]), "roll.csv")
    assert [(p.row, p.code) for p in report.problems] == [(3, "bad_character")]
    assert "U+0000" in report.problems[0].message
    assert not Delegate.objects.filter(congress=congress).exists()


def test_a_control_character_in_any_text_column_is_a_row_problem():
    congress = empty_congress()
    report = run_import(congress, csv_bytes([row(1, position="Bí\x01thư"), row(2, seat="A\x02")]), "roll.csv")
    assert sorted((p.row, p.code) for p in report.problems) == [(2, "bad_character"), (3, "bad_character")]


def test_bidi_overrides_and_zero_width_characters_are_removed_on_import():
    congress = empty_congress()
    report = run_import(
        congress, xlsx([row(1, name=f"Nguyễn {RLO}Văn Đoả{PDF}"), row(2, name=f"Lê{ZWSP} Thị C")])
    )
    assert report.is_ok, [p.message for p in report.problems]
    names = list(
        Delegate.objects.filter(congress=congress).order_by("number").values_list("full_name", flat=True)
    )
    assert names == ["Nguyễn Văn Đoả", "Lê Thị C"]


def test_a_cyrillic_look_alike_of_a_name_in_the_file_is_a_duplicate():
    congress = empty_congress()
    report = run_import(
        congress,
        xlsx(
            [
                row(1, name="Trần Văn Tư", born="05/09/1970"),
                row(2, name="\u0422rần Văn \u0422ư", born="05/09/1970"),
            ]
        ),
    )
    assert [(p.row, p.code) for p in report.problems] == [(3, "duplicate_in_file")]


def test_a_look_alike_of_a_name_already_on_the_roll_is_a_duplicate():
    congress = empty_congress()
    assert run_import(congress, xlsx([row(1, name="Trần Văn Tư", born="05/09/1970")])).is_ok
    report = run_import(congress, xlsx([row(2, name=f"{CYRILLIC_TE}rần{ZWSP} Văn Tư", born="05/09/1970")]))
    assert [p.code for p in report.problems] == ["duplicate_in_roll"]
    assert Delegate.objects.filter(congress=congress).count() == 1


def test_a_seat_written_with_a_cyrillic_letter_is_the_same_seat():
    congress = empty_congress()
    report = run_import(congress, xlsx([row(1, seat="B001"), row(2, seat="\u0412001")]))  # Cyrillic В
    assert [(p.row, p.code) for p in report.problems] == [(3, "duplicate_seat")]


def test_different_diacritics_are_different_people():
    congress = empty_congress()
    report = run_import(
        congress,
        xlsx(
            [
                row(1, name="Nguyễn Văn Ánh", born="05/09/1970"),
                row(2, name="Nguyễn Văn Anh", born="05/09/1970"),
            ]
        ),
    )
    assert report.is_ok


# Guests and nominees ---------------------------------------------------------------------------------------


def test_a_guest_name_with_a_control_character_is_refused_and_a_look_alike_is_a_duplicate():
    congress = empty_congress()
    with pytest.raises(ActionError) as refused:
        add_guest(congress, SYSTEM, full_name="Ông\x00A", organization_name="UBND")
    assert (refused.value.code, refused.value.params) == ("bad_character", {"field": "full_name"})
    with pytest.raises(ActionError) as refused:
        add_guest(congress, SYSTEM, full_name="Ông A", organization_name="UB\x1fND")
    assert refused.value.params == {"field": "organization_name"}
    guest = add_guest(congress, SYSTEM, full_name=f"Ông {RLO}Tư", organization_name="UBND phường")
    assert guest.full_name == "Ông Tư"
    with pytest.raises(ActionError) as refused:
        add_guest(congress, SYSTEM, full_name="Ông Тư", organization_name="ubnd phường")
    assert refused.value.code == "duplicate_guest"
    assert Guest.objects.filter(congress=congress).count() == 1


def test_the_guest_form_answers_a_nul_with_400_and_the_reason():
    congress = empty_congress()
    organizer = login_as(Client(), congress, Role.ORGANIZER)
    response = organizer.post(
        reverse("guests", args=[congress.slug]),
        {"full_name": "Bà\x00B", "title": "", "organization_name": ""},
    )
    assert response.status_code == 400
    assert response.context["error"].code == "bad_character"
    assert "U+0000" in response.content.decode()


def test_a_floor_nominee_typed_with_a_control_character_is_refused_and_invisible_ones_removed():
    congress = make_congress(delegates=6)
    election = Election.objects.create(
        congress=congress,
        title="Bầu thử",
        seats=3,
        base=6,
        present_at_vote=6,
        status=Election.Status.PREPARING,
    )
    chair = login_as(Client(), congress, Role.PRESIDIUM)
    url = reverse("election_add_candidate", args=[congress.slug, election.pk])
    response = chair.post(url, {"source": "committee", "full_name": "Bà\x00C"}, follow=True)
    shown = [str(m) for m in response.context["messages"]]
    assert len(shown) == 1 and shown[0].startswith("Họ và tên có ký tự điều khiển"), shown
    assert not Candidate.objects.filter(election=election).exists()
    chair.post(url, {"source": "committee", "full_name": f"Bà {RLO}Cúc"})
    assert list(Candidate.objects.filter(election=election).values_list("full_name", flat=True)) == ["Bà Cúc"]
