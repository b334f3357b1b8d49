"""Settings: SQLite syncs every commit, and the environment is read by typed helpers that fail loudly."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from daihoi.web.env import env_float, env_int


@pytest.mark.django_db
def test_sqlite_syncs_every_commit_so_a_power_cut_cannot_take_back_a_ballot():
    if connection.vendor != "sqlite":
        pytest.skip("a SQLite setting; PostgreSQL syncs commits by default")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == 2  # FULL
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"


@pytest.mark.parametrize(("raw", "expected"), [("", 7), ("12", 12), (" 3 ", 3), ("-2", -2)])
def test_env_int_reads_whole_numbers(monkeypatch, raw, expected):
    monkeypatch.setenv("DAIHOI_X", raw)
    assert env_int("DAIHOI_X", 7) == expected


@pytest.mark.parametrize("raw", ["1.5", "abc", "²", "٣", "1e3", "9" * 40])
def test_env_int_refuses_anything_else_by_name(monkeypatch, raw):
    monkeypatch.setenv("DAIHOI_X", raw)
    with pytest.raises(ImproperlyConfigured, match="DAIHOI_X"):
        env_int("DAIHOI_X", 7)


def test_env_int_and_env_float_enforce_their_minimum(monkeypatch):
    monkeypatch.setenv("DAIHOI_X", "0")
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env_int("DAIHOI_X", 7, minimum=1)
    monkeypatch.setenv("DAIHOI_X", "-0.5")
    with pytest.raises(ImproperlyConfigured, match="at least 0"):
        env_float("DAIHOI_X", 0.25, minimum=0.0)


@pytest.mark.parametrize(("raw", "expected"), [("", 0.25), ("0", 0.0), ("1.5", 1.5)])
def test_env_float_reads_decimals(monkeypatch, raw, expected):
    monkeypatch.setenv("DAIHOI_X", raw)
    assert env_float("DAIHOI_X", 0.25) == expected


@pytest.mark.parametrize("raw", ["nan", "inf", "-inf", "1,5", "abc"])
def test_env_float_refuses_non_numbers(monkeypatch, raw):
    monkeypatch.setenv("DAIHOI_X", raw)
    with pytest.raises(ImproperlyConfigured, match="DAIHOI_X"):
        env_float("DAIHOI_X", 0.25)
