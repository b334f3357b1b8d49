"""Leader-and-followers group commit: requests that arrive together are written in one transaction.

A request thread queues its job and takes the leader lock; if a leader wrote its job meanwhile it
returns, else it becomes the leader and writes every job queued so far (its own among them) with
`commit_group`. So while one group commits, the next gathers; under load a commit carries many jobs,
and alone a job is written at once. No thread of its own: jobs are written on the request threads'
connections, and nothing is answered before its group's commit.

`commit_group(jobs)` must leave every job `done` (with its result or its error), whatever happens.
Used by the check-in desk (`congress.actions.checkin`) and the electronic ballots (`voting.actions.ballots`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, Protocol, TypeVar


class Job(Protocol):
    @property
    def done(self) -> bool: ...


J = TypeVar("J", bound=Job)


class GroupCommit(Generic[J]):
    """Queue a job, then write it, or wait while a leader writes it with the others queued."""

    def __init__(self, commit_group: Callable[[list[J]], None], limit: int = 250) -> None:
        self._commit_group = commit_group
        self._limit = limit
        self._queue: list[J] = []
        self._queue_lock = threading.Lock()
        self._leader = threading.Lock()

    def submit(self, job: J) -> None:
        with self._queue_lock:
            self._queue.append(job)
        while not job.done:
            with self._leader:
                if job.done:
                    return
                with self._queue_lock:
                    group, self._queue = self._queue[: self._limit], self._queue[self._limit :]
                self._commit_group(group)
