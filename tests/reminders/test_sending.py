"""The minute job sends each reminder once, at the person's local time, skips what is already
done, and stops after the one-click pause link (the clock is given to it, never today's)."""

from datetime import UTC, datetime, timedelta

from mindnotes.documents import reminders as plans
from mindnotes.jobs.reminders import send_due_reminders
from mindnotes.services.overview.weekly import make_review
from mindnotes.services.reminders import sending
from tests.account.helpers import path_of
from tests.factories import make_activity_log
from tests.reminders.helpers import pause_link, remind, reminder_mails, run_job

SATURDAY_NOON = datetime(2027, 3, 27, 12, tzinfo=UTC)  # the clocks go forward in Berlin that night


def test_a_daily_reminder_is_sent_once_a_day_at_local_time_across_the_change_of_clocks(users):
    writer = users.make(email="nightly@example.com", timezone="Europe/Berlin")
    remind(writer, SATURDAY_NOON, journal_on="y", journal_time="21:00")

    assert run_job(datetime(2027, 3, 27, 19, 59, tzinfo=UTC)) == 0
    assert run_job(datetime(2027, 3, 27, 20, 0, 20, tzinfo=UTC)) == 1  # 21:00 winter time
    assert run_job(datetime(2027, 3, 27, 20, 0, 40, tzinfo=UTC)) == 0  # the same slot: never twice
    assert run_job(datetime(2027, 3, 28, 18, 59, tzinfo=UTC)) == 0
    assert run_job(datetime(2027, 3, 28, 19, 0, 30, tzinfo=UTC)) == 1  # 21:00 summer time
    mails = reminder_mails(writer)
    assert [mail["Subject"] for mail in mails] == ["MindNotes: Time to write"] * 2
    assert plans.get_plan(writer.id)["next_due_at"] == datetime(2027, 3, 29, 19, tzinfo=UTC)


def test_no_reminder_on_a_day_the_person_already_wrote_or_logged(users):
    writer = users.make(email="done@example.com", timezone="Europe/Berlin")
    remind(
        writer,
        SATURDAY_NOON,
        journal_on="y",
        journal_time="21:00",
        mood_on="y",
        mood_time_1="18:00",
        mood_time_2="20:00",
    )
    make_activity_log(writer, "2027-03-27", entries=1, moods=1)

    assert run_job(datetime(2027, 3, 27, 17, 0, 5, tzinfo=UTC)) == 0  # one mood logged: the first check-in is done
    assert run_job(datetime(2027, 3, 27, 19, 0, 5, tzinfo=UTC)) == 1  # the second is not
    assert run_job(datetime(2027, 3, 27, 20, 0, 5, tzinfo=UTC)) == 0  # an entry is written today
    assert [mail["Subject"] for mail in reminder_mails(writer)] == ["MindNotes: How are you feeling?"]
    assert plans.get_plan(writer.id)["next_slot"]["local"] == "2027-03-28T18:00:00"


def test_a_slot_claimed_by_another_worker_is_not_sent_again(users):
    writer = users.make(email="raced@example.com")
    remind(writer, SATURDAY_NOON, journal_on="y", journal_time="21:00")
    seen_by_both = plans.get_plan(writer.id)
    moment = datetime(2027, 3, 27, 21, 0, 10, tzinfo=UTC)
    assert run_job(moment) == 1
    slot = sending._slot_of(seen_by_both)
    assert sending._claim(writer, seen_by_both, slot) is False  # the slower worker loses the slot
    assert len(reminder_mails(writer)) == 1


def test_reminders_missed_while_the_workers_were_down_are_not_sent_late(users):
    writer = users.make(email="late@example.com")
    remind(writer, SATURDAY_NOON, journal_on="y", journal_time="13:00")
    assert run_job(datetime(2027, 3, 27, 15, tzinfo=UTC)) == 0
    assert reminder_mails(writer) == []
    assert plans.get_plan(writer.id)["next_due_at"] == datetime(2027, 3, 28, 13, tzinfo=UTC)


def test_the_pause_link_in_a_reminder_stops_every_reminder(client, users):
    writer = users.make(email="pausing@example.com")
    remind(writer, SATURDAY_NOON, journal_on="y", journal_time="21:00")
    assert send_due_reminders(datetime(2027, 3, 27, 21, 0, 5, tzinfo=UTC)) == 1
    link = path_of(pause_link(reminder_mails(writer)[0]))

    page = client.get(link)  # opening the link (or a mail scanner opening it) pauses nothing yet
    assert page.status_code == 200
    assert "Pause reminders?" in page.get_data(as_text=True)
    assert plans.get_plan(writer.id)["paused"] is False
    answer = client.post(link)
    assert "Reminders paused" in answer.get_data(as_text=True)
    plan = plans.get_plan(writer.id)
    assert plan["paused"] is True and plan["next_due_at"] is None
    assert run_job(datetime(2027, 3, 28, 21, 0, 5, tzinfo=UTC) + timedelta(days=1)) == 0
    assert len(reminder_mails(writer)) == 1


def test_a_forged_pause_link_is_not_found(client, users):
    writer = users.make()
    remind(writer, SATURDAY_NOON, journal_on="y", journal_time="21:00")
    assert client.get("/reminders/pause/not-a-token").status_code == 404
    assert client.post("/reminders/pause/MQ.forged").status_code == 404
    assert plans.get_plan(writer.id)["paused"] is False


def test_the_weekly_review_is_announced_once_it_is_ready(users):
    reader = users.make(email="weekly@example.com", timezone="Europe/Berlin")
    remind(reader, SATURDAY_NOON, weekly_on="y", weekly_time="09:00")
    # Monday 29 March, 09:00 in Berlin (summer time): no review made yet, so nothing to announce.
    assert run_job(datetime(2027, 3, 29, 7, 0, 5, tzinfo=UTC)) == 0
    make_review(reader, now=datetime(2027, 4, 5, 0, 30, tzinfo=UTC))  # the next Monday's review is made
    assert run_job(datetime(2027, 4, 5, 7, 0, 5, tzinfo=UTC)) == 1
    assert [mail["Subject"] for mail in reminder_mails(reader)] == ["MindNotes: Your weekly review is ready"]


def test_the_mail_apps_own_unsubscribe_button_pauses_in_one_click(app_factory, users):
    writer = users.make(email="one-click@example.com")
    remind(writer, SATURDAY_NOON, journal_on="y", journal_time="21:00")
    assert run_job(datetime(2027, 3, 27, 21, 0, 5, tzinfo=UTC)) == 1
    [mail] = reminder_mails(writer)
    assert "".join(mail["List-Unsubscribe"].split()) == f"<{pause_link(mail)}>"  # unfolded
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # As a mail app sends it (RFC 8058): a bare POST, no session, no form token, with CSRF checks on.
    mail_app = app_factory(WTF_CSRF_ENABLED=True).test_client()
    answer = mail_app.post(path_of(pause_link(mail)), data={"List-Unsubscribe": "One-Click"})
    assert answer.status_code == 200
    assert plans.get_plan(writer.id)["paused"] is True
