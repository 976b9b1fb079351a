"""The journal service: the entry limit across both stores, validation, counts and activity."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from bson import ObjectId
from pymongo.errors import PyMongoError
from rq import SimpleWorker

from mindnotes import timeutil
from mindnotes.documents import collection, daily_activity_logs, journal_entries
from mindnotes.extensions import db, queue
from mindnotes.jobs.journal import purge_expired_trash
from mindnotes.models import Tag
from mindnotes.services import journal
from tests.journal.helpers import entries_used, leave_slots, plain, write


def all_entries(user) -> list[dict]:
    return list(collection("journal_entries").find({"user_id": user.id}))


def test_new_entry_stores_counts_dates_and_search_text(users):
    user = users.make(timezone="Pacific/Auckland")
    moment = datetime(2026, 3, 1, 20, 30, tzinfo=UTC)  # already 2 March in Auckland
    entry = journal.create_entry(
        user, {"title": "Morning", "content": "I walked to the sea, and it's calm."}, now=moment
    )
    stored = journal_entries.get_entry(user.id, entry["_id"])
    assert stored["word_count"] == 8
    assert stored["char_count"] == len("I walked to the sea, and it's calm.")
    assert stored["reading_time_seconds"] == 3
    assert stored["local_date"] == "2026-03-02"
    assert stored["month_day"] == "03-02"
    assert stored["search_text"] == "Morning\nI walked to the sea, and it's calm."
    assert stored["entry_date"] == moment
    assert stored["deleted_at"] is None and not stored["is_favorite"]
    assert entries_used(user) == 1
    day = daily_activity_logs.get_day(user.id, "2026-03-02")
    assert (day["entries"], day["words"]) == (1, 8)


def test_backdated_entry_is_read_in_the_persons_zone(users):
    user = users.make(timezone="America/New_York")
    entry = write(user, entry_date="2025-12-31T22:00")
    assert entry["entry_date"] == datetime(2026, 1, 1, 3, 0, tzinfo=UTC)
    assert entry["local_date"] == "2025-12-31"
    assert daily_activity_logs.get_day(user.id, "2025-12-31")["entries"] == 1


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"title": "", "content": "   "}, "content", "Write something first"),
        ({"title": "x" * 201}, "title", "at most 200 characters"),
        ({"content": "y" * 100_001}, "content", "at most 100,000 characters"),
        ({"entry_date": "31/12/2025"}, "entry_date", "YYYY-MM-DD"),
        ({"entry_date": "2999-01-01T10:00"}, "entry_date", "future"),
        ({"mood_score": "6"}, "mood_score", "1 (awful) to 5 (great)"),
        ({"entry_type": "video"}, "entry_type", "Choose"),
        ({"location": {"name": "Home", "lat": "95", "lng": "0"}}, "latitude", "-90 to 90"),
        ({"tag_ids": ["x"]}, "tag_ids", "your own"),
    ],
)
def test_invalid_entry_is_refused_and_nothing_is_stored(users, fields, field, message):
    user = users.make()
    with pytest.raises(journal.EntryInvalid) as refused:
        journal.create_entry(user, {"title": "Kept", **fields})
    assert message in refused.value.errors[field]
    assert all_entries(user) == []
    assert entries_used(user) == 0


def test_another_persons_tag_is_refused(users):
    owner, other = users.make(), users.make()
    theirs = Tag(user_id=other.id, name="secret")
    mine = Tag(user_id=owner.id, name="mine")
    db.session.add_all([theirs, mine])
    db.session.commit()
    with pytest.raises(journal.EntryInvalid) as refused:
        write(owner, tag_ids=[mine.id, theirs.id])
    assert "tag_ids" in refused.value.errors
    assert all_entries(owner) == []
    assert write(owner, tag_ids=[str(mine.id)])["tag_ids"] == [mine.id]


def test_at_the_limit_the_message_names_the_plan_and_nothing_is_stored(users):
    user = users.make()
    leave_slots(user, 0)
    with pytest.raises(journal.EntryLimitReached) as refused:
        write(user)
    assert "Free plan" in str(refused.value)
    assert all_entries(user) == []


def test_twenty_concurrent_creates_with_five_slots_left_make_exactly_five_entries(app, users):
    user = users.make()
    leave_slots(user, 5)
    person = plain(user)
    start = threading.Barrier(20)
    outcomes = []

    def create(number: int) -> None:
        with app.app_context():
            start.wait()
            try:
                journal.create_entry(person, {"title": f"Entry {number}"})
                outcomes.append("made")
            except journal.EntryLimitReached:
                outcomes.append("refused")

    threads = [threading.Thread(target=create, args=(number,)) for number in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes).count("made") == 5
    assert outcomes.count("refused") == 15
    assert len(all_entries(user)) == 5
    db.session.expire_all()
    assert entries_used(user) == 100


def test_mongodb_failure_gives_the_slot_back_and_leaves_nothing_half_made(users, monkeypatch):
    user = users.make()
    write(user)

    def failing_insert(user_id, document):
        raise PyMongoError("connection lost")

    monkeypatch.setattr(journal_entries, "insert_entry", failing_insert)
    with pytest.raises(journal.JournalUnavailable):
        write(user, title="Lost?")
    assert entries_used(user) == 1
    assert [entry["title"] for entry in all_entries(user)] == ["An entry"]
    assert daily_activity_logs.get_day(user.id, all_entries(user)[0]["local_date"])["entries"] == 1


def test_second_create_with_the_same_id_is_refused_and_keeps_one_slot(users):
    user = users.make()
    entry_id = ObjectId()
    journal.create_entry(user, {"title": "First"}, entry_id=entry_id)
    with pytest.raises(journal.EntryExists):
        journal.create_entry(user, {"title": "Twin"}, entry_id=entry_id)
    assert entries_used(user) == 1
    assert [entry["title"] for entry in all_entries(user)] == ["First"]


def test_prompt_response_adds_words_search_text_and_activity(users):
    user = users.make()
    entry = write(user, content="one two")
    updated = journal.add_prompt_response(
        user, entry["_id"], {"prompt_id": 4, "question": "What went well?", "answer": "The long walk home"}
    )
    assert updated["word_count"] == 6
    assert updated["search_text"].endswith("The long walk home")
    assert updated["prompt_responses"][0]["word_count"] == 4
    assert updated["prompt_responses"][0]["question"] == "What went well?"
    assert daily_activity_logs.get_day(user.id, entry["local_date"])["words"] == 6


def test_entry_made_only_of_a_prompt_answer_is_allowed(users):
    user = users.make()
    entry = journal.create_entry(
        user, {"prompt_responses": [{"prompt_id": 1, "question": "Q?", "answer": "An answer here"}]}
    )
    assert entry["word_count"] == 3
    with pytest.raises(journal.EntryInvalid):
        journal.add_prompt_response(user, entry["_id"], {"prompt_id": 2, "question": "Q2?", "answer": " "})


def test_prompt_response_to_another_persons_entry_is_not_found(users):
    owner, other = users.make(), users.make()
    entry = write(owner)
    with pytest.raises(journal.EntryNotFound):
        journal.add_prompt_response(other, entry["_id"], {"prompt_id": 1, "question": "Q", "answer": "A"})


def test_edit_keeps_the_earlier_version_and_moves_words(users):
    user = users.make()
    entry = write(user, title="Draft title", content="one two three")
    updated = journal.update_entry(user, entry["_id"], {"title": "Better title", "content": "one two"})
    assert updated["versions"][0]["title"] == "Draft title"
    assert updated["versions"][0]["content"] == "one two three"
    assert daily_activity_logs.get_day(user.id, entry["local_date"])["words"] == 2


def test_edit_from_a_stale_page_is_refused(users):
    user = users.make()
    entry = write(user)
    journal.update_entry(user, entry["_id"], {"title": "Tab one"}, revision=0)
    with pytest.raises(journal.EntryChanged):
        journal.update_entry(user, entry["_id"], {"title": "Tab two"}, revision=0)


def test_trash_restore_and_purge_free_the_slot_only_when_purged(users):
    user = users.make()
    entry = write(user, content="four words are here")
    journal.trash_entry(user, entry["_id"])
    assert entries_used(user) == 1
    assert daily_activity_logs.get_day(user.id, entry["local_date"])["entries"] == 0
    journal.restore_entry(user, entry["_id"])
    assert daily_activity_logs.get_day(user.id, entry["local_date"])["words"] == 4
    journal.trash_entry(user, entry["_id"])
    assert journal.purge_expired_trash(now=timeutil.utcnow() + timedelta(days=29)) == 0
    assert journal.purge_expired_trash(now=timeutil.utcnow() + timedelta(days=31)) == 1
    assert all_entries(user) == []
    assert entries_used(user) == 0


def test_entry_trashed_over_thirty_days_ago_cannot_be_restored(users):
    user = users.make()
    entry = write(user)
    journal.trash_entry(user, entry["_id"], now=timeutil.utcnow() - timedelta(days=31))
    with pytest.raises(journal.EntryNotFound):
        journal.restore_entry(user, entry["_id"])


def test_purge_job_run_by_the_worker_frees_the_slots_and_is_safe_twice(app, users):
    user = users.make()
    entry = write(user)
    journal.trash_entry(user, entry["_id"], now=timeutil.utcnow() - timedelta(days=40))
    queue.enqueue(purge_expired_trash)
    queue.enqueue(purge_expired_trash)
    SimpleWorker([queue.queue], connection=queue.redis).work(burst=True)
    assert all_entries(user) == []
    assert entries_used(user) == 0
