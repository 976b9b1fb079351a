"""Writing, listing, reading, editing and trashing entries through the pages."""

from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

from pymongo.errors import PyMongoError

from mindnotes import timeutil
from mindnotes.documents import collection, daily_activity_logs, journal_entries
from mindnotes.extensions import db
from mindnotes.models import Tag
from mindnotes.services import journal
from tests.journal.helpers import entries_used, leave_slots, write

HTMX = {"HX-Request": "true"}


def form(**overrides):
    data = {"title": "A quiet day", "content": "Slept well.", "entry_type": "text", "privacy": "private"}
    return {**data, **overrides}


def stored(user) -> list[dict]:
    return list(collection("journal_entries").find({"user_id": user.id}))


def test_writing_an_entry_saves_it_and_shows_it_rendered(client, users, login):
    user = users.make(timezone="Europe/Paris")
    login(user)
    response = client.post(
        "/journal/new",
        data=form(
            content="Some **bold** words",
            entry_date="2026-01-10T09:30",
            mood_score="4",
            location_name="Lyon",
            latitude="45.76",
            longitude="4.83",
            weather="Sunny",
            is_favorite="y",
        ),
    )
    assert response.status_code == 302
    [entry] = stored(user)
    assert entry["entry_date"] == datetime(2026, 1, 10, 8, 30, tzinfo=UTC)
    assert entry["location"] == {"name": "Lyon", "lat": 45.76, "lng": 4.83}
    assert (entry["weather"], entry["is_favorite"]) == ("Sunny", True) and "mood" not in entry
    # The mood chosen in the editor is a mood log linked to the entry, shown on the entry's page.
    mood = collection("mood_entries").find_one({"user_id": user.id})
    assert (mood["_id"], mood["journal_entry_id"], mood["score"]) == (entry["_id"], entry["_id"], 4)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"{mood['category_name']}</strong> · good (4/5)" in page
    assert "<strong>bold</strong>" in page
    assert "3 words" in page and "Sat 10 Jan 2026, 09:30" in page
    assert daily_activity_logs.get_day(user.id, "2026-01-10")["entries"] == 1


class TagCollector(HTMLParser):
    """The (tag, attributes) inside the rendered entry body."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append((tag, dict(attrs)))


def body_tags(page: str) -> list[tuple[str, dict]]:
    body = page.split('<div class="entry-body">', 1)[1].split("</div>", 1)[0]
    collector = TagCollector()
    collector.feed(body)
    return collector.tags


def test_markdown_is_sanitized_and_links_open_safely(client, users, login):
    user = users.make()
    login(user)
    content = (
        '<script>alert(1)</script> <img src=x onerror="alert(2)"> <a href="/x" hx-get="/journal/">h</a>\n\n'
        "[site](https://example.org) [bad](javascript:alert(3)) <b onclick='x()'>b</b>"
    )
    entry = write(user, content=content)
    tags = body_tags(client.get(f"/journal/{entry['_id']}").get_data(as_text=True))
    assert {tag for tag, _ in tags} == {"p", "a"}
    attributes = [name for _, attrs in tags for name in attrs]
    assert not [name for name in attributes if name.startswith(("on", "hx-", "style"))]
    [link] = [attrs for tag, attrs in tags if tag == "a"]
    assert link == {"href": "https://example.org", "target": "_blank", "rel": "noopener noreferrer nofollow"}


def test_invalid_entry_is_refused_with_422_and_the_form_kept(client, users, login):
    login(users.make())
    response = client.post("/journal/new", data=form(title="x" * 201, content="Kept words"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "at most 200 characters" in page
    assert "Kept words</textarea>" in page


def test_unparseable_date_is_refused_with_the_form_kept(client, users, login):
    login(users.make())
    response = client.post("/journal/new", data=form(entry_date="yesterday-ish"))
    assert response.status_code == 422
    assert 'value="yesterday-ish"' in response.get_data(as_text=True)


def test_empty_entry_is_refused(client, users, login):
    user = users.make()
    login(user)
    response = client.post("/journal/new", data=form(title=" ", content=""))
    assert response.status_code == 422
    assert "Write something first" in response.get_data(as_text=True)
    assert stored(user) == []


def test_htmx_form_error_returns_only_the_editor(client, users, login):
    login(users.make())
    response = client.post("/journal/new", data=form(content="y" * 100_001), headers=HTMX)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "<html" not in page and 'id="editor"' in page
    assert "at most 100,000 characters" in page


def test_at_the_plan_limit_the_plan_is_named_and_the_form_kept(client, users, login):
    user = users.make()
    login(user)
    leave_slots(user, 0)
    response = client.post("/journal/new", data=form(content="Words I typed"))
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert "Free plan keeps up to 100 entries" in page
    assert "Words I typed</textarea>" in page
    assert stored(user) == []


def test_a_new_tag_typed_inline_is_made_and_attached(client, users, login):
    user = users.make()
    login(user)
    client.post("/journal/new", data=form(new_tag="Walks"))
    tag = db.session.scalar(db.select(Tag).where(Tag.user_id == user.id))
    assert tag.name == "Walks"
    assert stored(user)[0]["tag_ids"] == [tag.id]


def test_an_invalid_entry_with_a_new_tag_makes_no_tag(client, users, login):
    user = users.make()
    login(user)
    response = client.post("/journal/new", data=form(title="", content="", new_tag="Walks"))
    assert response.status_code == 422
    assert 'value="Walks"' in response.get_data(as_text=True)
    assert db.session.scalars(db.select(Tag).where(Tag.user_id == user.id)).all() == []
    assert stored(user) == []


def test_another_persons_tag_is_refused_with_422_and_not_stored(client, users, login):
    user, other = users.make(), users.make()
    theirs = Tag(user_id=other.id, name="theirs")
    db.session.add(theirs)
    db.session.commit()
    login(user)
    response = client.post("/journal/new", data=form(tag_ids=[str(theirs.id)]))
    assert response.status_code == 422
    assert "your own list" in response.get_data(as_text=True)
    assert stored(user) == []


def test_list_is_newest_first_with_keyset_pages_and_a_next_link(client, users, login):
    user = users.make()
    login(user)
    start = datetime(2026, 1, 1, 12, tzinfo=UTC)
    for number in range(25):
        write(user, title=f"Entry {number:02d}", entry_date=start + timedelta(hours=number))
    first = client.get("/journal/").get_data(as_text=True)
    assert first.index("Entry 24") < first.index("Entry 23")
    assert "Entry 04" not in first
    assert 'hx-trigger="revealed"' in first
    next_url = first.split('class="next-page" href="')[1].split('"')[0].replace("&amp;", "&")
    second = client.get(next_url, headers=HTMX).get_data(as_text=True)
    assert "<html" not in second
    assert [f"Entry {n:02d}" in second for n in (4, 0)] == [True, True]
    assert "Entry 05" not in second and "next-page" not in second


def test_entries_at_the_same_moment_are_not_skipped_between_pages(client, users, login):
    user = users.make()
    login(user)
    moment = datetime(2026, 2, 2, 8, tzinfo=UTC)
    for number in range(22):
        write(user, title=f"Same {number:02d}", entry_date=moment)
    first = client.get("/journal/").get_data(as_text=True)
    next_url = first.split('class="next-page" href="')[1].split('"')[0].replace("&amp;", "&")
    second = client.get(next_url).get_data(as_text=True)
    seen = {n for n in range(22) if f"Same {n:02d}" in first or f"Same {n:02d}" in second}
    assert seen == set(range(22))


def test_filters_narrow_the_list(client, users, login):
    user = users.make()
    login(user)
    tag = Tag(user_id=user.id, name="work")
    db.session.add(tag)
    db.session.commit()
    write(user, title="Old one", entry_date="2025-06-01T10:00")
    write(user, title="Tagged one", tag_ids=[tag.id], entry_type="mixed")
    write(user, title="Loved one", is_favorite=True)

    def titles(query: str) -> set[str]:
        page = client.get(f"/journal/?{query}").get_data(as_text=True)
        return {title for title in ("Old one", "Tagged one", "Loved one") if title in page}

    assert titles("from=2025-01-01&to=2025-12-31") == {"Old one"}
    assert titles(f"tag={tag.id}") == {"Tagged one"}
    assert titles("favorites=1") == {"Loved one"}
    assert titles("type=mixed") == {"Tagged one"}
    assert titles("photos=1") == set()
    assert titles("from=not-a-date") == {"Old one", "Tagged one", "Loved one"}


def test_date_filter_uses_the_persons_local_days(client, users, login):
    user = users.make(timezone="America/New_York")
    login(user)
    write(user, title="New Year's Eve late", entry_date="2025-12-31T22:30")  # 03:30 UTC on 1 January
    write(user, title="New Year's Day", entry_date="2026-01-01T09:00")
    page = client.get("/journal/?from=2025-12-31&to=2025-12-31").get_data(as_text=True)
    assert "New Year&#39;s Eve late" in page and "New Year&#39;s Day" not in page


def test_changing_the_date_moves_the_entry_in_the_list(client, users, login):
    user = users.make()
    login(user)
    moved = write(user, title="Moved back", entry_date="2026-01-05T10:00")
    write(user, title="Stays", entry_date="2026-01-03T10:00")
    journal.update_entry(user, moved["_id"], {"title": "Moved back", "entry_date": "2026-01-01T10:00"})
    page = client.get("/journal/").get_data(as_text=True)
    assert page.index("Stays") < page.index("Moved back")


def test_on_this_day_shows_earlier_years_only(client, users, login):
    user = users.make()
    login(user)
    today = timeutil.utcnow()
    write(user, title="A year ago today", entry_date=today.replace(year=today.year - 1))
    write(user, title="Written today")
    page = client.get("/journal/").get_data(as_text=True)
    section = page.split('id="on-this-day-title"')[1].split("</section>")[0]
    assert "A year ago today" in section and "Written today" not in section


def test_edit_keeps_earlier_version_viewable(client, users, login):
    user = users.make()
    login(user)
    entry = write(user, title="First try", content="Original words")
    response = client.post(
        f"/journal/{entry['_id']}/edit", data=form(title="Second try", content="New words", revision="0")
    )
    assert response.status_code == 302
    page = client.get(f"/journal/{entry['_id']}").get_data(as_text=True)
    assert "Second try" in page and "Version 1" in page
    earlier = client.get(f"/journal/{entry['_id']}/versions/1").get_data(as_text=True)
    assert "First try" in earlier and "Original words" in earlier
    assert client.get(f"/journal/{entry['_id']}/versions/2").status_code == 404


def test_edit_from_a_stale_tab_is_a_409_with_the_form_kept(client, users, login):
    user = users.make()
    login(user)
    entry = write(user)
    journal.update_entry(user, entry["_id"], {"title": "Elsewhere"})
    response = client.post(f"/journal/{entry['_id']}/edit", data=form(content="Mine", revision="0"))
    assert response.status_code == 409
    assert "changed elsewhere" in response.get_data(as_text=True)
    assert "Mine</textarea>" in response.get_data(as_text=True)


def test_favorite_toggles_inline(client, users, login):
    user = users.make()
    login(user)
    entry = write(user)
    response = client.post(f"/journal/{entry['_id']}/favorite", data={"favorite": "1"}, headers=HTMX)
    assert "★ Favorite" in response.get_data(as_text=True) and "<html" not in response.get_data(as_text=True)
    assert stored(user)[0]["is_favorite"]
    response = client.post(f"/journal/{entry['_id']}/favorite", data={"favorite": "0"})
    assert response.status_code == 302
    assert not stored(user)[0]["is_favorite"]


def test_trash_restore_and_delete_for_good(client, users, login):
    user = users.make()
    login(user)
    entry = write(user, title="Regret")
    assert client.post(f"/journal/{entry['_id']}/delete").status_code == 302
    assert "Regret" not in client.get("/journal/").get_data(as_text=True)
    assert "Regret" in client.get("/journal/trash").get_data(as_text=True)
    client.post(f"/journal/{entry['_id']}/restore")
    assert "Regret" in client.get("/journal/").get_data(as_text=True)
    client.post(f"/journal/{entry['_id']}/delete")
    client.post(f"/journal/{entry['_id']}/purge")
    assert stored(user) == []
    assert entries_used(user) == 0


def test_live_entry_cannot_be_deleted_for_good_without_the_trash(client, users, login):
    user = users.make()
    login(user)
    entry = write(user)
    assert client.post(f"/journal/{entry['_id']}/purge").status_code == 404
    assert len(stored(user)) == 1


def test_purge_command_frees_slots_of_entries_trashed_over_30_days_ago(runner, users):
    user = users.make()
    entry = write(user)
    journal.trash_entry(user, entry["_id"], now=timeutil.utcnow() - timedelta(days=31))
    result = runner.invoke(args=["journal", "purge-trash"])
    assert "Purged 1 entries" in result.output
    assert stored(user) == [] and entries_used(user) == 0


def test_preview_renders_markdown_for_htmx_and_without_javascript(client, users, login):
    login(users.make())
    partial = client.post("/journal/new/preview", data=form(content="# Big"), headers=HTMX).get_data(as_text=True)
    assert partial.strip() == "<h1>Big</h1>"
    page = client.post("/journal/new/preview", data=form(title="Kept title", content="# Big")).get_data(as_text=True)
    assert "<h1>Big</h1>" in page and 'value="Kept title"' in page


def test_a_store_failure_on_save_keeps_the_text_and_says_so(client, users, login, monkeypatch):
    user = users.make()
    login(user)

    def failing_insert(user_id, document):
        raise PyMongoError("connection lost")

    monkeypatch.setattr(journal_entries, "insert_entry", failing_insert)
    response = client.post("/journal/new", data=form(content="Every word of this"))
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "could not be saved just now" in page and "Every word of this</textarea>" in page
    assert entries_used(user) == 0


def test_editor_is_served_as_a_partial_to_htmx(client, users, login):
    login(users.make())
    partial = client.get("/journal/new", headers=HTMX).get_data(as_text=True)
    assert "<html" not in partial and 'id="editor"' in partial
    assert 'hx-trigger="input changed delay:2s"' in partial
    assert "<html" in client.get("/journal/new").get_data(as_text=True)
