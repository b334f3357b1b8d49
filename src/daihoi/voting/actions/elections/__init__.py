"""The election workflow (P6), step by step, each step recorded in the audit chain.

1. create the election (proposed seats; a delegation's seats and alternates are allocated from above;
   under P15 `separate` its alternates get an election of their own) — `setup`;
2. the motion on the number to elect (`seats`) sets `election.seats` — `setup`;
3. the outgoing committee's list (`Candidate.Source.COMMITTEE`) — `candidates`;
4. floor nominations and self-nominations, each admitted by a `floor_nominee` motion (P7) — `candidates`;
5. withdrawal requests, each decided by a `withdrawal` motion — `candidates`;
6. the surplus check (P8) through the rules core — `candidates`;
7. the counting committee elected by a `counting_committee` motion (P9) — `committee`;
8. the list approved by a `candidate_list` motion: ballot order (P10) and codes c01… are fixed — `candidates`;
9. open the vote (N and those present are fixed), close it — `vote`; counting and certification are
   `voting.actions.counting`'s; when the certified result leaves seats open, a `next_round` motion
   creates the next round — `rounds`.

The election motions' effects are registered with the motions by `hooks`. Every refusal is an
`ActionError` with a stable code; rules-core refusals keep the core's code.
"""

from __future__ import annotations

from daihoi.voting.actions.counting import ballot_places
from daihoi.voting.actions.elections import hooks
from daihoi.voting.actions.elections.candidates import (
    add_candidate,
    check_list,
    list_warnings,
    on_list,
    propose_list,
    request_withdrawal,
)
from daihoi.voting.actions.elections.committee import propose_counting_committee
from daihoi.voting.actions.elections.hooks import apply_motion, check_motion_may_open
from daihoi.voting.actions.elections.rounds import create_next_round, next_round_of, propose_next_round
from daihoi.voting.actions.elections.setup import (
    candidate_facts,
    create_election,
    election_facts,
    electronic_allowed,
    propose_seats,
    set_electronic_voting,
    update_casting,
)
from daihoi.voting.actions.elections.vote import close_election, open_election, workflow

__all__ = [
    "add_candidate",
    "apply_motion",
    "ballot_places",
    "candidate_facts",
    "check_list",
    "check_motion_may_open",
    "close_election",
    "create_election",
    "create_next_round",
    "election_facts",
    "electronic_allowed",
    "hooks",
    "list_warnings",
    "next_round_of",
    "on_list",
    "open_election",
    "propose_counting_committee",
    "propose_list",
    "propose_next_round",
    "propose_seats",
    "request_withdrawal",
    "set_electronic_voting",
    "update_casting",
    "workflow",
]
