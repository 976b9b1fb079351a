"""Reminder slots fall at the person's wall-clock times, right across the changes of the clocks."""

from datetime import UTC, datetime

from mindnotes.services.reminders import DEFAULT_PLAN
from mindnotes.services.reminders.schedule import next_slot

BERLIN = "Europe/Berlin"


def plan(**changes) -> dict:
    return {**DEFAULT_PLAN, **changes}


def slots_after(a_plan: dict, timezone: str, start: datetime, count: int) -> list:
    slots, moment, sent = [], start, None
    for _ in range(count):
        sent = next_slot(a_plan, timezone, moment, sent)
        slots.append(sent)
        moment = sent.at
    return slots


def test_a_daily_reminder_keeps_its_local_time_when_the_clocks_go_forward():
    journal = plan(journal={"on": True, "time": "21:00"})
    slots = slots_after(journal, BERLIN, datetime(2027, 3, 26, 12, tzinfo=UTC), 3)
    assert [slot.key for slot in slots] == [
        "journal:2027-03-26T21:00",
        "journal:2027-03-27T21:00",
        "journal:2027-03-28T21:00",
    ]
    # 21:00 in Berlin is 20:00 UTC in winter and 19:00 UTC from the last Sunday of March.
    assert [slot.at for slot in slots] == [
        datetime(2027, 3, 26, 20, tzinfo=UTC),
        datetime(2027, 3, 27, 20, tzinfo=UTC),
        datetime(2027, 3, 28, 19, tzinfo=UTC),
    ]


def test_a_time_the_clocks_skip_or_repeat_is_sent_once():
    night = plan(journal={"on": True, "time": "02:30"})
    # 02:30 does not exist in Berlin on 28 March 2027: the reminder comes just after the jump.
    spring = next_slot(night, BERLIN, datetime(2027, 3, 27, 12, tzinfo=UTC))
    assert spring.key == "journal:2027-03-28T02:30"
    assert spring.at == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)  # 03:30 summer time
    # 02:30 happens twice on 31 October 2027: the first one only, then the next day's.
    autumn = slots_after(night, BERLIN, datetime(2027, 10, 30, 12, tzinfo=UTC), 2)
    assert [slot.key for slot in autumn] == ["journal:2027-10-31T02:30", "journal:2027-11-01T02:30"]
    assert autumn[0].at == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)


def test_mood_check_ins_and_the_journal_at_the_same_minute_are_each_sent():
    both = plan(journal={"on": True, "time": "20:00"}, mood={"on": True, "times": ["09:00", "20:00"]})
    slots = slots_after(both, "UTC", datetime(2027, 1, 4, 8, tzinfo=UTC), 4)
    assert [(slot.key, slot.number) for slot in slots] == [
        ("mood:2027-01-04T09:00", 1),
        ("journal:2027-01-04T20:00", 1),
        ("mood:2027-01-04T20:00", 2),
        ("mood:2027-01-05T09:00", 1),
    ]


def test_the_weekly_review_is_announced_on_mondays_and_nothing_when_all_is_off():
    weekly = plan(weekly={"on": True, "time": "09:00"})
    slot = next_slot(weekly, BERLIN, datetime(2027, 1, 6, 12, tzinfo=UTC))  # a Wednesday
    assert slot.key == "weekly:2027-01-11T09:00"
    assert next_slot(plan(), BERLIN, datetime(2027, 1, 6, 12, tzinfo=UTC)) is None
