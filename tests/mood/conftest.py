"""The mood tests' person: Amy in Paris, signed in, at 13:00 on Tuesday 10 March 2026 her time."""

import pytest

from mindnotes import timeutil
from tests.mood.helpers import NOW


@pytest.fixture
def amy(users, login, monkeypatch):
    monkeypatch.setattr(timeutil, "utcnow", lambda: NOW)
    person = users.make(email="amy@example.com", timezone="Europe/Paris")
    login(person)
    return person
