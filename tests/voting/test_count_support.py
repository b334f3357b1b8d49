"""The counting builders of tests/support/counting.py, checked."""

from __future__ import annotations

from tests.factories import make_election


def test_make_election_orders_the_list_by_given_name(db):
    from tests.factories import make_congress

    election = make_election(make_congress(delegates=12), candidates=4)
    names = list(election.candidates.order_by("ballot_position").values_list("full_name", flat=True))
    assert names == ["Nguyễn Văn An", "Trần Thị Bình", "Lê Hữu Cường", "Phạm Minh Dũng"]
