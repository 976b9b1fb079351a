"""Every write in the documents layer keeps each value's type: read back through the same module,
a datetime is a datetime, a subdocument a dict, a list of documents a list of dicts, an ObjectId an
ObjectId, a boolean a boolean (nx-27017 reads a `$set` True back as 1) and None stays None.

nx-27017 stores a `$set` datetime as a string and a `$push`ed subdocument as a JSON string; a page
that formats such a value then fails for good (a mood edit broke /mood/history this way).
"""

import ast
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from bson import ObjectId

from mindnotes import documents, timeutil
from mindnotes.documents import (
    collection,
    compare_and_swap,
    daily_activity_logs,
    daily_prompt_sets,
    data_upgrades,
    focus_sessions,
    job_outbox,
    journal_drafts,
    journal_entries,
    mood_entries,
    reminders,
    replace_if_revision,
    user_analytics,
    user_patterns,
    weekly_reviews,
)

PERSON = 7
# Millisecond precision: what BSON keeps of a datetime.
WRITTEN_AT = datetime(2026, 3, 1, 9, 30, 15, 123000, tzinfo=UTC)
CHANGED_AT = datetime(2026, 3, 2, 18, 5, 0, 456000, tzinfo=UTC)
REFS = [
    ObjectId("65f000000000000000000001"),
    ObjectId("65f000000000000000000002"),
    ObjectId("65f000000000000000000003"),
]


@pytest.fixture(autouse=True)
def clock(app, monkeypatch):
    monkeypatch.setattr(timeutil, "utcnow", lambda: WRITTEN_AT)


def every_kind(moment: datetime = WRITTEN_AT, label: str = "first") -> dict:
    """Fields holding each kind of value a document stores."""
    return {
        "moment": moment,
        "label": label,
        "nested": {"moment": moment, "flag": True, "nothing": None, "deeper": {"moment": moment}},
        "documents": [
            {"moment": moment, "ref": REFS[0], "flag": False},
            {"moment": moment - timedelta(minutes=5), "ref": REFS[1], "flag": True},
        ],
        "ref": REFS[2],
        "flag": True,
        "off": False,
        "nothing": None,
        "count": 3,
        "share": 0.25,
    }


def assert_kept(read, written, path: str = "document") -> None:
    if isinstance(written, datetime):
        assert isinstance(read, datetime), f"{path} came back as {read!r}"
        assert read == written, path
    elif isinstance(written, bool):
        assert read is written, f"{path} came back as {read!r}"
    elif isinstance(written, dict):
        assert isinstance(read, dict), f"{path} came back as {read!r}"
        for key, value in written.items():
            assert key in read, f"{path}.{key} is missing"
            assert_kept(read[key], value, f"{path}.{key}")
    elif isinstance(written, list):
        assert isinstance(read, list) and len(read) == len(written), f"{path} came back as {read!r}"
        for index, (read_item, written_item) in enumerate(zip(read, written, strict=True)):
            assert_kept(read_item, written_item, f"{path}[{index}]")
    elif written is None:
        assert read is None, f"{path} came back as {read!r}"
    else:
        assert type(read) is type(written) and read == written, f"{path} came back as {read!r}"


def assert_no_text_in_place_of_values(document: dict, text_fields: set[str]) -> None:
    """Only the fields that are text hold strings (a datetime stored as a string fails here)."""
    strays = {key: value for key, value in document.items() if isinstance(value, str) and key not in text_fields}
    assert not strays, f"stored as text: {strays}"


# journal_entries


def test_an_inserted_entry_keeps_its_types(app):
    entry = {"_id": ObjectId(), **every_kind()}
    journal_entries.insert_entry(PERSON, entry)
    assert_kept(journal_entries.get_entry(PERSON, entry["_id"]), entry)


def test_bulk_inserted_entries_keep_their_types(app):
    entries = [{"_id": ObjectId(), **every_kind(label=str(n))} for n in range(3)]
    journal_entries.insert_entries(PERSON, entries)
    for entry in entries:
        assert_kept(journal_entries.get_entry(PERSON, entry["_id"]), entry)


def test_a_replaced_entry_keeps_its_types(app):
    entry = {"_id": ObjectId(), "revision": 0, **every_kind()}
    journal_entries.insert_entry(PERSON, entry)
    changed = {**entry, **every_kind(CHANGED_AT, "changed")}
    assert journal_entries.replace_entry(PERSON, changed) is not None
    read = journal_entries.get_entry(PERSON, entry["_id"])
    assert_kept(read, {**changed, "revision": 1})


def test_a_remade_excerpt_keeps_the_entrys_types_and_revision(app):
    entry = {"_id": ObjectId(), "revision": 2, **every_kind(), "excerpt": "**old** marks"}
    journal_entries.insert_entry(PERSON, entry)
    assert not journal_entries.set_excerpt(PERSON, entry["_id"], 1, "stale")  # edited meanwhile: left alone
    assert not journal_entries.set_excerpt(PERSON + 1, entry["_id"], 2, "taken")  # not theirs
    assert journal_entries.get_entry(PERSON, entry["_id"])["excerpt"] == "**old** marks"

    assert journal_entries.set_excerpt(PERSON, entry["_id"], 2, "old marks")
    assert_kept(journal_entries.get_entry(PERSON, entry["_id"]), {**entry, "excerpt": "old marks", "revision": 2})


def test_an_excerpt_is_remade_on_an_entry_stored_before_entries_had_a_revision(app):
    entry = {"_id": ObjectId(), **every_kind(), "excerpt": "old"}
    journal_entries.insert_entry(PERSON, entry)
    assert not journal_entries.set_excerpt(PERSON, entry["_id"], 0, "stale")
    assert journal_entries.set_excerpt(PERSON, entry["_id"], None, "new")
    read = journal_entries.get_entry(PERSON, entry["_id"])
    assert_kept(read, {**entry, "excerpt": "new"})
    assert "revision" not in read


# journal_drafts


def test_a_draft_keeps_its_types_when_first_saved_and_saved_again(app):
    entry_id = ObjectId()
    journal_drafts.save_draft(PERSON, entry_id, every_kind(), WRITTEN_AT)
    first = journal_drafts.get_draft(PERSON, entry_id)
    assert_kept(first, {"entry_id": entry_id, "fields": every_kind(), "saved_at": WRITTEN_AT})

    fields = every_kind(CHANGED_AT, "again")
    journal_drafts.save_draft(PERSON, entry_id, fields, CHANGED_AT)
    again = journal_drafts.get_draft(PERSON, entry_id)
    assert_kept(again, {"entry_id": entry_id, "fields": fields, "saved_at": CHANGED_AT})
    assert again["_id"] == first["_id"]


def test_a_draft_of_a_new_entry_keeps_none_as_its_entry(app):
    journal_drafts.save_draft(PERSON, None, every_kind(), WRITTEN_AT)
    assert_kept(journal_drafts.get_draft(PERSON, None), {"entry_id": None, "saved_at": WRITTEN_AT})


# mood_entries


def test_an_inserted_mood_keeps_its_types(app):
    mood = mood_entries.insert_mood(PERSON, every_kind())
    assert_kept(mood_entries.get_mood(PERSON, mood["_id"]), mood)


def test_a_mood_edited_as_the_picker_edits_it_keeps_its_times(app):
    mood = mood_entries.insert_mood(
        PERSON, {"felt_at": WRITTEN_AT, "created_at": WRITTEN_AT, "updated_at": WRITTEN_AT, "note": "", "intensity": 6}
    )
    edit = {"felt_at": CHANGED_AT, "updated_at": CHANGED_AT, "note": "Better after a walk", "intensity": 7}
    before = mood_entries.replace_fields(PERSON, mood["_id"], edit)
    assert_kept(before, mood)
    read = mood_entries.get_mood(PERSON, mood["_id"])
    assert_kept(read, {**mood, **edit})
    assert_no_text_in_place_of_values(read, {"note"})


def test_a_mood_edit_with_every_kind_of_value_keeps_their_types(app):
    mood = mood_entries.insert_mood(PERSON, every_kind())
    edit = every_kind(CHANGED_AT, "edited")
    mood_entries.replace_fields(PERSON, mood["_id"], edit)
    assert_kept(mood_entries.get_mood(PERSON, mood["_id"]), {**mood, **edit})


@pytest.mark.parametrize("field", ["moment", "nested", "documents", "ref", "flag", "nothing"])
def test_a_mood_edit_of_one_field_keeps_its_type(app, field):
    mood = mood_entries.insert_mood(PERSON, every_kind())
    edit = {field: every_kind(CHANGED_AT, "edited")[field]}
    mood_entries.replace_fields(PERSON, mood["_id"], edit)
    assert_kept(mood_entries.get_mood(PERSON, mood["_id"]), {**mood, **edit})


def test_a_mood_stored_before_moods_had_a_revision_can_be_edited(app):
    mood = mood_entries.insert_mood(PERSON, every_kind())
    assert "revision" not in mood_entries.get_mood(PERSON, mood["_id"])
    assert mood_entries.replace_fields(PERSON, mood["_id"], {"label": "edited"}) is not None
    assert mood_entries.get_mood(PERSON, mood["_id"])["label"] == "edited"


def test_another_persons_mood_is_not_edited(app):
    mood = mood_entries.insert_mood(PERSON, every_kind())
    assert mood_entries.replace_fields(PERSON + 1, mood["_id"], {"label": "taken"}) is None
    assert mood_entries.get_mood(PERSON, mood["_id"])["label"] == "first"


def test_a_score_given_to_a_mood_without_one_is_an_int_and_given_once(app):
    mood = mood_entries.insert_mood(PERSON, every_kind())
    assert not mood_entries.set_score_if_missing(PERSON + 1, mood["_id"], 2)  # not theirs
    assert "score" not in mood_entries.get_mood(PERSON, mood["_id"])

    assert mood_entries.set_score_if_missing(PERSON, mood["_id"], 4)
    assert not mood_entries.set_score_if_missing(PERSON, mood["_id"], 2)  # it has one by now
    assert_kept(mood_entries.get_mood(PERSON, mood["_id"]), {**mood, "score": 4})


# focus_sessions


def running_session() -> dict:
    return {
        "_id": ObjectId(),
        **every_kind(),
        "status": "active",
        "revision": 0,
        "elapsed_seconds": 60,
        "pauses": [{"started_at": WRITTEN_AT, "ended_at": WRITTEN_AT + timedelta(minutes=2)}],
        "distractions": {"count": 0, "notes": []},
    }


def test_an_inserted_running_session_keeps_its_types(app):
    session = running_session()
    focus_sessions.insert_session(PERSON, session)
    assert_kept(focus_sessions.get_session(PERSON, session["_id"]), session)


def test_an_imported_ended_session_keeps_its_types(app):
    session = {**running_session(), "status": "completed", "ended_at": CHANGED_AT}
    focus_sessions.insert_ended_session(PERSON, session)
    assert_kept(focus_sessions.get_session(PERSON, session["_id"]), session)


def test_a_distraction_keeps_the_sessions_types(app):
    session = running_session()
    focus_sessions.insert_session(PERSON, session)
    assert focus_sessions.add_distraction(PERSON, session["_id"], "The phone rang")
    assert focus_sessions.add_distraction(PERSON, session["_id"], "")
    read = focus_sessions.get_session(PERSON, session["_id"])
    assert_kept(read, {**session, "distractions": {"count": 2, "notes": ["The phone rang"]}, "revision": 2})


def test_a_heartbeat_keeps_the_sessions_types(app):
    session = running_session()
    focus_sessions.insert_session(PERSON, session)
    assert focus_sessions.record_heartbeat(PERSON, session["_id"], 600)
    read = focus_sessions.get_session(PERSON, session["_id"])
    assert_kept(read, {**session, "elapsed_seconds": 600, "revision": 1})


def test_a_session_changed_by_compare_and_swap_keeps_its_types(app):
    session = running_session()
    focus_sessions.insert_session(PERSON, session)
    pause = {"started_at": CHANGED_AT, "ended_at": None}

    def change(stored: dict) -> dict:
        return {**stored, **every_kind(CHANGED_AT, "paused"), "status": "paused", "pauses": [*stored["pauses"], pause]}

    swapped = compare_and_swap(
        focus_sessions.NAME, PERSON, lambda: focus_sessions.get_session(PERSON, session["_id"]), change
    )
    assert swapped is not None
    read = focus_sessions.get_session(PERSON, session["_id"])
    assert_kept(read, change(session) | {"revision": 1})


# daily_prompt_sets


def test_an_inserted_prompt_set_keeps_its_types(app):
    prompt_set = {"_id": ObjectId(), **every_kind(), "local_date": "2026-03-01", "version": 0}
    daily_prompt_sets.insert_set(PERSON, prompt_set)
    assert_kept(daily_prompt_sets.get_set(PERSON, prompt_set["_id"]), prompt_set)


def test_a_prompt_set_changed_by_compare_and_swap_on_its_version_keeps_its_types(app):
    prompt_set = {"_id": ObjectId(), **every_kind(), "local_date": "2026-03-01", "version": 0}
    daily_prompt_sets.insert_set(PERSON, prompt_set)
    changed = every_kind(CHANGED_AT, "answered")
    swapped = compare_and_swap(
        daily_prompt_sets.NAME,
        PERSON,
        lambda: daily_prompt_sets.get_set(PERSON, prompt_set["_id"]),
        lambda stored: {**stored, **changed},
        field="version",
    )
    assert swapped is not None
    assert_kept(daily_prompt_sets.get_set(PERSON, prompt_set["_id"]), {**prompt_set, **changed, "version": 1})


def test_replace_if_revision_keeps_types_and_refuses_a_stale_revision(app):
    mood = mood_entries.insert_mood(PERSON, {**every_kind(), "revision": 4})
    changed = {**mood, **every_kind(CHANGED_AT, "changed")}
    assert replace_if_revision(mood_entries.NAME, PERSON, mood["_id"], 3, changed) is None
    assert replace_if_revision(mood_entries.NAME, PERSON, mood["_id"], 4, changed) is not None
    assert_kept(mood_entries.get_mood(PERSON, mood["_id"]), {**changed, "revision": 5})


# user_analytics


def test_analytics_keep_their_types_when_first_saved_and_replaced(app):
    user_analytics.save_analytics(PERSON, every_kind())
    assert_kept(user_analytics.get_analytics(PERSON), {**every_kind(), "rebuilt_at": WRITTEN_AT})
    figures = every_kind(CHANGED_AT, "rebuilt")
    user_analytics.save_analytics(PERSON, figures)
    assert_kept(user_analytics.get_analytics(PERSON), {**figures, "rebuilt_at": WRITTEN_AT})


def test_patterns_keep_their_types_when_first_saved_and_replaced(app):
    user_patterns.save_patterns(PERSON, every_kind())
    assert_kept(user_patterns.get_patterns(PERSON), every_kind())
    user_patterns.save_patterns(PERSON, every_kind(CHANGED_AT, "recounted"))
    assert_kept(user_patterns.get_patterns(PERSON), every_kind(CHANGED_AT, "recounted"))


def test_a_weekly_review_keeps_its_types_and_is_stored_once(app):
    review = {**every_kind(), "week_start": "2026-03-02"}
    assert weekly_reviews.insert_review(PERSON, review)
    assert not weekly_reviews.insert_review(PERSON, {**every_kind(CHANGED_AT, "again"), "week_start": "2026-03-02"})
    assert_kept(weekly_reviews.get_review(PERSON, "2026-03-02"), review)
    assert_kept(weekly_reviews.newest_reviews(PERSON, 1)[0], review)


def test_the_weekly_mail_choice_reads_back_as_a_boolean(app):
    weekly_reviews.set_mail_reviews(PERSON, True)
    assert weekly_reviews.mails_reviews(PERSON) is True
    weekly_reviews.set_mail_reviews(PERSON, False)
    assert weekly_reviews.mails_reviews(PERSON) is False


# daily_activity_logs

DAY_TEXT_FIELDS = {"_id", "local_date"}


def test_a_day_keeps_its_types_when_first_recorded_and_recorded_again(app, monkeypatch):
    daily_activity_logs.record_activity(PERSON, "2026-03-01", entries=1, words=120, mood_intensity_sum=6.5)
    first = daily_activity_logs.get_day(PERSON, "2026-03-01")
    assert_kept(first, {"created_at": WRITTEN_AT, "entries": 1, "words": 120, "mood_intensity_sum": 6.5})

    monkeypatch.setattr(timeutil, "utcnow", lambda: CHANGED_AT)
    daily_activity_logs.record_activity(PERSON, "2026-03-01", entries=1, words=30)
    again = daily_activity_logs.get_day(PERSON, "2026-03-01")
    assert_kept(again, {"user_id": PERSON, "created_at": WRITTEN_AT, "entries": 2, "words": 150})
    assert_no_text_in_place_of_values(again, DAY_TEXT_FIELDS)


def test_days_set_by_the_rebuild_keep_their_types_new_and_existing(app, monkeypatch):
    daily_activity_logs.record_activity(PERSON, "2026-03-01", entries=1)
    monkeypatch.setattr(timeutil, "utcnow", lambda: CHANGED_AT)
    written = daily_activity_logs.set_days(
        PERSON, {"2026-03-01": {"entries": 4, "words": 10}, "2026-03-02": {"moods": 2, "mood_intensity_sum": 9.5}}
    )
    assert written == 2
    existing = daily_activity_logs.get_day(PERSON, "2026-03-01")
    new = daily_activity_logs.get_day(PERSON, "2026-03-02")
    assert_kept(existing, {"user_id": PERSON, "created_at": WRITTEN_AT, "entries": 4, "words": 10})
    assert_kept(new, {"user_id": PERSON, "created_at": CHANGED_AT, "moods": 2, "mood_intensity_sum": 9.5})
    for day in (existing, new):
        assert_no_text_in_place_of_values(day, DAY_TEXT_FIELDS)


def test_changes_noted_with_a_day_keep_their_types_until_taken(app):
    daily_activity_logs.record_activity(PERSON, "2026-03-01", entries=1, words=120, mood_intensity_sum=6.5)
    daily_activity_logs.record_activity(PERSON, "2026-03-02", entries=1)
    daily_activity_logs.ask_for_recount(PERSON)
    changes, recount = daily_activity_logs.take_changes(PERSON)
    assert changes == {
        "2026-03-01": {"entries": 1, "words": 120, "mood_intensity_sum": 6.5},
        "2026-03-02": {"entries": 1},
    }
    assert type(changes["2026-03-01"]["entries"]) is int and type(changes["2026-03-01"]["words"]) is int
    assert type(changes["2026-03-01"]["mood_intensity_sum"]) is float and recount is True
    assert daily_activity_logs.take_changes(PERSON) == ({}, False)
    # The changes document lives beside the days but is never read as one.
    assert sorted(day["local_date"] for day in daily_activity_logs.all_days(PERSON)) == ["2026-03-01", "2026-03-02"]


def test_a_noted_change_marks_the_changes_document_and_keeps_its_counters(app):
    daily_activity_logs.note_change(PERSON)  # nothing noted yet: the changes document begins with the mark
    first = daily_activity_logs.get_changes(PERSON)
    assert_kept(first, {"user_id": PERSON})
    assert_no_text_in_place_of_values(first, {"_id", "write"})
    assert first["write"]

    daily_activity_logs.record_activity(PERSON, "2026-03-01", entries=1, mood_score_sum=4.5)
    daily_activity_logs.note_change(PERSON)
    again = daily_activity_logs.get_changes(PERSON)
    assert isinstance(again["write"], str) and again["write"] != first["write"]
    assert_kept(again, {"user_id": PERSON, "2026-03-01:entries": 1, "2026-03-01:mood_score_sum": 4.5})
    assert daily_activity_logs.get_changes(PERSON + 1) is None
    assert daily_activity_logs.take_changes(PERSON) == ({"2026-03-01": {"entries": 1, "mood_score_sum": 4.5}}, False)
    assert [day["local_date"] for day in daily_activity_logs.all_days(PERSON)] == ["2026-03-01"]


def test_a_follow_up_job_kept_in_the_outbox_keeps_its_types_when_recorded_again(app):
    job_outbox.record_job(PERSON, "mindnotes.jobs.x.y", [PERSON, "a"], "x-7", {"retry": {"max": 3}}, WRITTEN_AT)
    job_outbox.record_job(PERSON, "mindnotes.jobs.x.y", [PERSON, "b"], "x-7", {"job_timeout": 60}, CHANGED_AT)
    [record] = job_outbox.waiting_jobs(PERSON)
    assert_kept(record, {"args": [PERSON, "b"], "options": {"job_timeout": 60}, "created_at": CHANGED_AT})
    assert job_outbox.oldest_records(CHANGED_AT, 10) == [record]


def test_a_reminder_plan_and_a_push_subscription_keep_their_types(app):
    slot = {"kind": "journal", "local": "2026-03-01T21:00:00", "number": 1}
    plan = {"journal": {"on": True, "time": "21:00"}, "paused": False, "next_due_at": WRITTEN_AT, "next_slot": slot}
    first = reminders.save_plan(PERSON, plan)
    assert reminders.save_plan(PERSON, plan) is None  # a second first plan: the unique index refuses it
    changed = {**reminders.get_plan(PERSON), "paused": True, "next_due_at": None, "last_slot": "journal:x"}
    assert reminders.save_plan(PERSON, changed)["revision"] == first["revision"] + 1
    assert reminders.save_plan(PERSON, changed) is None  # stale revision
    assert_kept(reminders.get_plan(PERSON), {**changed, "revision": 2, "due_minute": None})
    assert_kept(reminders.due_plans(CHANGED_AT, 10), [])
    reminders.save_plan(PERSON, {**reminders.get_plan(PERSON), "next_due_at": CHANGED_AT})
    assert_kept(reminders.due_plans(CHANGED_AT, 10)[0], {"next_due_at": CHANGED_AT, "paused": True})

    reminders.add_subscription(PERSON, "https://push.example/1", "key", "auth", WRITTEN_AT)
    reminders.add_subscription(PERSON, "https://push.example/1", "key2", "auth2", CHANGED_AT)
    [subscription] = reminders.subscriptions_of(PERSON)
    assert_kept(subscription, {"keys": {"p256dh": "key2", "auth": "auth2"}, "created_at": CHANGED_AT})


WRITE_CALLS = {
    "insert_one",
    "insert_many",
    "replace_one",
    "update_one",
    "update_many",
    "find_one_and_update",
    "find_one_and_replace",
    "bulk_write",
    "replace_if_revision",
    "compare_and_swap",
}


def test_a_data_upgrade_record_keeps_its_time_and_is_kept_once(app):
    data_upgrades.record_done("round-trip", WRITTEN_AT)
    data_upgrades.record_done("round-trip", CHANGED_AT)
    try:
        assert collection("data_upgrades").count_documents({"_id": "round-trip"}) == 1
        assert_kept(collection("data_upgrades").find_one({"_id": "round-trip"}), {"done_at": WRITTEN_AT})
    finally:
        collection("data_upgrades").delete_one({"_id": "round-trip"})


def writers_in_documents() -> set[str]:
    """ "<module>.<function>" of every public documents-layer function that writes."""
    found = set()
    for path in sorted(Path(documents.__file__).parent.glob("*.py")):
        module = f"mindnotes.documents.{path.stem}".removesuffix(".__init__")
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
                continue
            called = {
                call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
                for call in ast.walk(node)
                if isinstance(call, ast.Call)
            }
            if called & WRITE_CALLS:
                found.add(f"{module}.{node.name}")
    return found


def test_every_writer_of_the_documents_layer_is_round_tripped_here():
    """A write path added later without a round-trip test above fails here."""
    source = Path(__file__).read_text()
    missing = {name for name in writers_in_documents() if f"{name.rsplit('.', 1)[1]}(" not in source}
    assert not missing, f"write a round-trip test for: {sorted(missing)}"
