"""The overview's clock: its figures are counted back from "today"."""

from datetime import UTC, datetime

import pytest

from mindnotes import timeutil

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)  # a Wednesday


@pytest.fixture
def frozen_now(monkeypatch):
    """Sets the clock the app, its jobs and the dashboard read (timeutil.utcnow) to NOW;
    `frozen_now(moment)` moves it."""

    def freeze(moment: datetime) -> None:
        monkeypatch.setattr(timeutil, "utcnow", lambda: moment)

    freeze(NOW)
    return freeze
