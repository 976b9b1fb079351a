"""Reminders are set in the account, each off until turned on; this browser's push subscription
is kept per device, and one person cannot remove another's."""

from mindnotes.documents import reminders as plans

ENDPOINT = "https://push.example.net/send/abc123"
KEYS = {"p256dh": "B" + "x" * 86, "auth": "a" * 22}


def test_the_account_page_shows_every_reminder_off(client, users, login):
    login(users.make())
    page = client.get("/account/").get_data(as_text=True)
    assert 'id="reminders"' in page
    assert "Remind me to write each day" in page
    assert 'name="journal_on" type="checkbox" value="y">' in page  # not checked
    assert "data-push-key=" in page


def test_turning_a_reminder_on_schedules_it(client, users, login):
    person = users.make(timezone="Europe/Berlin")
    login(person)
    answer = client.post("/reminders/", data={"journal_on": "y", "journal_time": "21:30", "by_push": "y"})
    assert answer.status_code == 302
    assert answer.headers["Location"].endswith("/account/#reminders")
    plan = plans.get_plan(person.id)
    assert plan["journal"] == {"on": True, "time": "21:30"}
    assert plan["next_slot"]["kind"] == "journal"
    assert plan["next_due_at"] is not None
    assert "checked" in client.get("/reminders/").get_data(as_text=True)


def test_a_wrong_time_is_named_beside_its_field_and_kept(client, users, login):
    person = users.make()
    login(person)
    answer = client.post("/reminders/", data={"mood_on": "y", "mood_time_1": "25:00", "by_email": "y"})
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert "Give a time as HH:MM" in page
    assert 'value="25:00"' in page
    assert plans.get_plan(person.id) is None


def test_a_reminder_needs_a_way_to_arrive(client, users, login):
    login(users.make())
    answer = client.post("/reminders/", data={"journal_on": "y", "journal_time": "08:00"})
    assert answer.status_code == 422
    assert "Choose how to be reminded" in answer.get_data(as_text=True)


def test_a_device_subscribes_with_an_https_push_address_only(client, users, login):
    person = users.make()
    login(person)
    assert client.post("/reminders/devices", data={"endpoint": "http://10.0.0.1/", **KEYS}).status_code == 422
    assert client.post("/reminders/devices", data={"endpoint": ENDPOINT, "p256dh": "?", "auth": "?"}).status_code == 422
    assert client.post("/reminders/devices", data={"endpoint": ENDPOINT, **KEYS}).status_code == 204
    assert client.post("/reminders/devices", data={"endpoint": ENDPOINT, **KEYS}).status_code == 204  # again: one
    assert [item["endpoint"] for item in plans.subscriptions_of(person.id)] == [ENDPOINT]


def test_another_person_cannot_remove_a_device(client, users, login, app):
    owner, other = users.make(), users.make()
    login(owner)
    client.post("/reminders/devices", data={"endpoint": ENDPOINT, **KEYS})
    intruder = app.test_client()
    login(other, intruder)
    assert intruder.post("/reminders/devices/remove", data={"endpoint": ENDPOINT}).status_code == 204
    assert len(plans.subscriptions_of(owner.id)) == 1
    assert client.post("/reminders/devices/remove", data={"endpoint": ENDPOINT}).status_code == 204
    assert plans.subscriptions_of(owner.id) == []


def test_reminder_settings_need_a_sign_in(client):
    assert client.get("/reminders/").status_code == 302
    assert client.post("/reminders/", data={"journal_on": "y"}).status_code == 302
