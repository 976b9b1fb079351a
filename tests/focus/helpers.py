"""Helpers for the focus tests: a controlled clock and shortcuts to start sessions."""

import time
from datetime import UTC, datetime, timedelta

from mindnotes import timeutil
from mindnotes.documents import collection

# A Monday morning, so "this week" starts today.
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class Clock:
    """The time every service sees through `mindnotes.timeutil.utcnow`.

    It stands still unless `run()` lets it follow real time from where it is.
    """

    def __init__(self) -> None:
        self.now = START
        self._running_since: float | None = None

    def read(self) -> datetime:
        if self._running_since is None:
            return self.now
        return self.now + timedelta(seconds=time.monotonic() - self._running_since)

    def run(self) -> None:
        self._running_since = time.monotonic()

    def advance(self, **delta) -> datetime:
        self.now += timedelta(**delta)
        return self.now

    def set(self, moment: datetime) -> datetime:
        self.now = moment
        return moment


def install_clock(monkeypatch) -> Clock:
    """Make `mindnotes.timeutil.utcnow` read a clock the test moves by hand."""
    fake = Clock()
    monkeypatch.setattr(timeutil, "utcnow", fake.read)
    return fake


def start(client, **fields):
    data = {"session_type": "pomodoro", "task": "Write the report", **fields}
    return client.post("/focus/sessions", data=data)


def only_session(user_id: int) -> dict:
    sessions = list(collection("focus_sessions").find({"user_id": user_id}))
    assert len(sessions) == 1
    return sessions[0]


def started(client, user_id: int, **fields) -> dict:
    response = start(client, **fields)
    assert response.status_code == 302, response.get_data(as_text=True)
    return only_session(user_id)


def day_log(user_id: int, local_date: str) -> dict:
    return collection("daily_activity_logs").find_one({"user_id": user_id, "local_date": local_date}) or {}
