"""The weekly review: made on the person's Monday, across a DST change, kept, shown, mailed once.

The person lives in Pacific/Auckland, where daylight saving began on Sunday 27 September 2026
(02:00 became 03:00, UTC+12 to UTC+13), the last day of the week reviewed (21-27 September).
Their Monday begins at 11:00 UTC on Sunday.
"""

from datetime import UTC, datetime
from email.header import decode_header, make_header

import pytest

from mindnotes.documents import collection
from mindnotes.jobs.weekly import make_weekly_review, queue_weekly_reviews
from mindnotes.services.overview.activity import record_activity
from mindnotes.services.overview.dashboard import kept_dashboard
from mindnotes.services.overview.weekly import latest_review
from tests.account.helpers import empty_mailbox, mails_to
from tests.factories import make_mood
from tests.jobs import run_jobs
from tests.overview.helpers import add_entry, add_prompt_set, add_session, at

ZONE = "Pacific/Auckland"
SUNDAY_NIGHT = datetime(2026, 9, 27, 10, 30, tzinfo=UTC)  # 23:30 on Sunday in Auckland (NZDT)
MONDAY_START = datetime(2026, 9, 27, 11, 10, tzinfo=UTC)  # 00:10 on Monday in Auckland


def scored(user, local: str, score: int, factors: list[dict] | None = None) -> dict:
    moment = at(local, ZONE)
    factors = factors or []
    mood = make_mood(user, moment, intensity=9, score=score, factors=factors)
    record_activity(user.id, moment, user.timezone, moods=1)
    return mood


def exercise() -> list[dict]:
    return [{"factor_id": 2, "name": "exercise", "value": "yes"}]


def the_week(user) -> None:
    scored(user, "2026-09-20 23:00", 1)  # Sunday of the week before
    scored(user, "2026-09-21 08:00", 2)
    scored(user, "2026-09-26 09:00", 4, exercise())
    scored(user, "2026-09-27 23:20", 5, exercise())  # after the clocks went forward
    scored(user, "2026-09-28 00:05", 1)  # the next week
    add_entry(user, at("2026-09-22 20:00", ZONE), words=100, title="Tuesday notes")
    add_entry(user, at("2026-09-27 23:00", ZONE), words=300, title="Long walk")
    add_entry(user, at("2026-09-28 00:01", ZONE), words=50, title="Next week")
    add_session(user, at("2026-09-23 10:00", ZONE), 25)
    add_session(user, at("2026-09-24 10:00", ZONE), 25, status="abandoned")
    add_session(user, at("2026-09-27 21:00", ZONE), 50)
    add_session(user, at("2026-09-27 21:55", ZONE), 5, kind="short_break")
    add_prompt_set(user, "2026-09-25", answered=2)


@pytest.fixture
def auckland(users, frozen_now):
    user = users.make(timezone=ZONE, email="kiri@example.org")
    the_week(user)
    return user


def test_review_is_made_on_the_persons_monday_not_the_servers(auckland, users, frozen_now):
    in_utc = users.make(timezone="UTC")
    frozen_now(SUNDAY_NIGHT)
    assert queue_weekly_reviews() == 0
    frozen_now(MONDAY_START)
    assert queue_weekly_reviews() == 1  # Auckland's Monday; still Sunday in UTC
    run_jobs()
    assert latest_review(in_utc) is None

    review = latest_review(auckland)
    assert (review["week_start"], review["week_end"]) == ("2026-09-21", "2026-09-27")
    assert (review["entries"], review["words"], review["prompts_answered"]) == (2, 400, 2)
    assert [day["average"] for day in review["mood_days"]] == [2.0, None, None, None, None, 4.0, 5.0]
    assert review["mood_average"] == 3.67
    assert review["mood_average_before"] == 1.0  # Sunday 20 September, the week before
    assert (review["best_day"]["weekday"], review["hardest_day"]["weekday"]) == ("Sunday", "Monday")
    assert review["good_day_factors"] == [{"label": "Exercise: yes", "days": 2}]
    assert review["focus"] == {"minutes": 75, "completed": 2, "ended": 3, "completion": 67}
    assert review["reread"]["title"] == "Long walk"  # the longest entry of the best day


def test_running_the_job_twice_keeps_one_review_and_one_mail(client, login, auckland, app, frozen_now):
    empty_mailbox(app)
    login(auckland)
    assert client.post("/insights/weeks/mail", data={"mail": "on"}).status_code == 303
    frozen_now(MONDAY_START)
    first = make_weekly_review(auckland.id)
    assert first is not None and make_weekly_review(auckland.id) is None
    assert collection("weekly_reviews").count_documents({"user_id": auckland.id}) == 1
    mails = mails_to(app, "kiri@example.org")
    assert len(mails) == 1
    assert "21 Sep – 27 Sep 2026" in str(make_header(decode_header(mails[0]["Subject"])))
    body = mails[0].get_payload(decode=True).decode()
    assert "Mood: 3.7 of 5 on average (up from 1.0 the week before)." in body
    assert "Best day: Sunday (5.0); hardest: Monday (2.0)." in body
    assert "/insights/weeks/2026-09-21" in body


def test_reviews_are_shown_on_the_dashboard_and_their_page(client, login, auckland, users, frozen_now):
    frozen_now(MONDAY_START)
    login(auckland)
    assert "Read your weekly review" not in client.get("/home").get_data(as_text=True)
    make_weekly_review(auckland.id)
    # The figures the dashboard keeps until the next write are made again with the review.
    assert kept_dashboard(auckland.id)["weekly_review"]["week_start"] == "2026-09-21"
    home = " ".join(client.get("/home").get_data(as_text=True).split())
    assert "Your week, 21 Sep – 27 Sep 2026" in home and "best day Sunday" in home
    page = " ".join(client.get("/insights/weeks/2026-09-21").get_data(as_text=True).split())
    assert "Best day: <strong>Sunday</strong> (5.0)" in page
    assert "3.7 <small>of 5 on average, up from 1.0 the week before</small>" in page
    assert "Long walk" in page and '<svg class="chart"' in page
    assert "<h2>21 Sep – 27 Sep 2026</h2>" in client.get("/insights/weeks").get_data(as_text=True)

    login(users.make(timezone=ZONE))
    assert client.get("/insights/weeks/2026-09-21").status_code == 404  # another person's week
    assert client.get("/insights/weeks/not-a-day").status_code == 404


def test_mail_choice_is_kept_and_a_bad_answer_is_refused(client, login, auckland):
    login(auckland)
    refused = client.post("/insights/weeks/mail", data={"mail": "sometimes"})
    assert refused.status_code == 422
    assert "Choose whether to get each weekly review by mail." in refused.get_data(as_text=True)
    client.post("/insights/weeks/mail", data={"mail": "on"})
    assert "Stop mailing them" in client.get("/insights/weeks").get_data(as_text=True)
    client.post("/insights/weeks/mail", data={"mail": "off"})
    assert "Mail me each review" in client.get("/insights/weeks").get_data(as_text=True)
