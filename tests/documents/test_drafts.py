"""Draft autosave: two first saves at once (two tabs on "new") both succeed and leave one draft.

On real MongoDB a replacement that carries a new `_id` for an existing document
fails (`_id` is immutable, WriteError 66); nx-27017 silently rewrites `_id`
instead, so the check here is on what both must agree on: one draft per
person and entry, the same `_id` across saves, and no error for either tab.
"""

import threading
from datetime import UTC, datetime

from mindnotes.documents import collection, journal_drafts

PERSON = 11
NOW = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


def test_two_first_saves_at_once_both_succeed_and_leave_one_draft(app):
    barrier = threading.Barrier(2)
    saved, failed = [], []

    def save(text: str) -> None:
        with app.app_context():
            barrier.wait()
            try:
                saved.append(journal_drafts.save_draft(PERSON, None, {"content": text}, NOW))
            except Exception as error:  # noqa: BLE001 (the test reports any error a tab would see)
                failed.append(error)

    tabs = [threading.Thread(target=save, args=(text,)) for text in ("first tab", "second tab")]
    for tab in tabs:
        tab.start()
    for tab in tabs:
        tab.join(timeout=10)
    assert failed == []
    stored = list(collection("journal_drafts").find({"user_id": {"$eq": PERSON}}))
    assert len(stored) == 1
    assert {draft["_id"] for draft in saved} == {stored[0]["_id"]}


def test_a_later_save_keeps_the_drafts_id_and_replaces_its_fields(app):
    with app.app_context():
        first = journal_drafts.save_draft(PERSON, None, {"content": "one"}, NOW)
        second = journal_drafts.save_draft(PERSON, None, {"content": "two"}, NOW)
        assert first["_id"] == second["_id"]
        assert journal_drafts.get_draft(PERSON, None)["fields"] == {"content": "two"}
