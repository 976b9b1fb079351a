"""Whether an address has an account must not show in how long sign-in or a reset request takes.

Timing itself is too noisy to test; these check the work done instead: the same
password hashing for an unknown address as for a known one, and for a reset the
same queries and message rendering.
"""

import pytest
from flask import template_rendered
from sqlalchemy import event
from werkzeug.security import check_password_hash

import mindnotes.models.users
import mindnotes.services.account
from mindnotes.extensions import db
from tests.account.helpers import empty_mailbox, mails_to

RESET_MAIL = "security/mail/reset_password.txt"


@pytest.fixture
def hashes_checked(monkeypatch):
    """The password hashes checked, in order, wherever account code checks one."""
    checked = []

    def counting(pwhash: str, password: str) -> bool:
        checked.append(pwhash)
        return check_password_hash(pwhash, password)

    monkeypatch.setattr(mindnotes.models.users, "check_password_hash", counting)
    monkeypatch.setattr(mindnotes.services.account, "check_password_hash", counting, raising=False)
    return checked


def sign_in(client, email):
    return client.post("/login", data={"email": email, "password": "not the password"})


def test_sign_in_hashes_once_for_an_unknown_address_as_for_a_known_one(client, users, hashes_checked):
    amy = users.make(email="amy@example.com")
    assert sign_in(client, "amy@example.com").status_code == 422
    assert hashes_checked == [amy.password_hash]
    hashes_checked.clear()
    assert sign_in(client, "nobody@example.com").status_code == 422
    assert len(hashes_checked) == 1
    # Made the same way as a real password's hash (same method and cost), so it takes as long to check.
    assert hashes_checked[0].split("$")[0] == amy.password_hash.split("$")[0]
    assert hashes_checked[0] != amy.password_hash


def test_sign_in_to_an_account_being_deleted_hashes_too(client, users, hashes_checked):
    amy = users.make(email="amy@example.com")
    amy.is_active = False
    db.session.commit()
    assert sign_in(client, "amy@example.com").status_code == 422
    assert len(hashes_checked) == 1


@pytest.fixture
def work_done(app):
    """The SQL statements run and the templates rendered while the test runs."""
    done = {"statements": [], "templates": []}

    def statement(conn, cursor, sql, parameters, context, executemany):
        done["statements"].append(sql.split()[0].upper())

    def rendered(sender, template, context, **extra):
        done["templates"].append(template.name)

    event.listen(db.engine, "before_cursor_execute", statement)
    template_rendered.connect(rendered, app)
    yield done
    template_rendered.disconnect(rendered, app)
    event.remove(db.engine, "before_cursor_execute", statement)


def test_reset_for_an_unknown_address_runs_the_same_queries_and_writes_the_message(app, client, users, work_done):
    empty_mailbox(app)
    users.make(email="amy@example.com")
    work_done["statements"].clear()
    client.post("/reset", data={"email": "amy@example.com"})
    known = {kind: list(items) for kind, items in work_done.items()}
    work_done["statements"].clear()
    work_done["templates"].clear()
    assert client.post("/reset", data={"email": "nobody@example.com"}).headers["Location"].endswith("/reset/sent")
    unknown = work_done
    assert RESET_MAIL in known["templates"] and RESET_MAIL in unknown["templates"]
    # Finding the account, then retiring its older links: both run for an unknown address too.
    assert known["statements"][:2] == unknown["statements"][:2] == ["SELECT", "UPDATE"]
    assert len(mails_to(app, "amy@example.com")) == 1
    assert mails_to(app, "nobody@example.com") == []
