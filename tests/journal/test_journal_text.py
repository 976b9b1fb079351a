"""Entries shown as text: excerpts and snippets are the words a reader sees, task lists are checkboxes."""

from mindnotes.documents import journal_entries
from mindnotes.jobs.analytics import rebuild_user_analytics
from mindnotes.services.journal.markdown import plain_text
from tests.factories import make_entry
from tests.journal.helpers import write

MARKED_UP = (
    "# Day Highlight\n\n---\n\n| Mon | Fresh start |\n|---|---|\n| Tue | Long walk |\n\n"
    "Mapped it on [OpenStreetMap](https://www.openstreetmap.org/#map=12) with **great** care and `git`.\n\n"
    "> quoted words\n\n- [x] water the plants\n- [ ] call Ana"
)
SEEN = (
    "Day Highlight Mon Fresh start Tue Long walk Mapped it on OpenStreetMap with great care and git. "
    "quoted words water the plants call Ana"
)


def assert_no_markup(text: str) -> None:
    for mark in ("#", "---", "**", "`", "](", "https://", "[x]", "[ ]", "> "):
        assert mark not in text, mark


def test_plain_text_is_what_the_rendered_markdown_shows():
    assert plain_text(MARKED_UP) == SEEN
    assert plain_text("Fish & <chips> *now*") == "Fish & <chips> now"


def test_list_excerpt_is_plain_text(client, users, login):
    user = users.make()
    login(user)
    write(user, title="Monday", content=MARKED_UP)
    page = client.get("/journal/").get_data(as_text=True)
    row = page.split('class="entry-row"', 1)[1].split("</article>", 1)[0]
    assert "Day Highlight Mon Fresh start" in row and "OpenStreetMap with great care" in row
    assert_no_markup(row.split("<p>", 1)[1].split("</p>", 1)[0])


def test_long_excerpt_is_cut_at_a_word_with_an_ellipsis(app, users):
    user = users.make()
    entry = write(user, content="**word** " * 200)
    assert entry["excerpt"].endswith("word…") and len(entry["excerpt"]) <= 240
    assert "*" not in entry["excerpt"]


def test_search_snippet_is_plain_text_with_highlights_kept(client, users, login):
    user = users.make()
    login(user)
    write(user, title="Monday", content=MARKED_UP)
    page = client.get("/journal/", query_string={"q": "openstreetmap"}).get_data(as_text=True)
    snippet = page.split('class="entry-row"', 1)[1].split("<p>", 1)[1].split("</p>", 1)[0]
    assert "Mapped it on <mark>OpenStreetMap</mark> with great care" in snippet
    assert_no_markup(snippet.replace("<mark>", "").replace("</mark>", ""))


def test_dashboard_excerpts_are_plain_text(client, users, login):
    user = users.make()
    login(user)
    write(user, title="Monday", content=MARKED_UP)
    rebuild_user_analytics(user.id)
    page = client.get("/", follow_redirects=True).get_data(as_text=True)
    excerpt = page.split('class="entry-excerpt">', 1)[1].split("</small>", 1)[0]
    assert excerpt.startswith("Day Highlight Mon Fresh start")
    assert_no_markup(excerpt)


def test_task_lists_render_as_disabled_checkboxes(client, users, login):
    user = users.make()
    login(user)
    entry = write(user, content="- [x] water the plants\n- [ ] call Ana\n- a plain item")
    page = client.get(f"/journal/{entry['_id']}").get_data(as_text=True)
    body = page.split('<div class="entry-body">', 1)[1].split("</div>", 1)[0]
    assert "[x]" not in body and "[ ]" not in body
    assert body.count('type="checkbox"') == 2 and body.count('disabled="disabled"') == 2
    done, todo = body.split("<label>")[1:3]
    assert 'checked="checked"' in done and "water the plants" in done
    assert "checked" not in todo and "call Ana" in todo
    assert "<li>a plain item</li>" in body


def test_an_input_typed_as_html_stays_text(client, users, login):
    user = users.make()
    login(user)
    entry = write(user, content='- [ ] <input type="text" name="x" onfocus="alert(1)">')
    page = client.get(f"/journal/{entry['_id']}").get_data(as_text=True)
    body = page.split('<div class="entry-body">', 1)[1].split("</div>", 1)[0]
    assert body.count("<input") == 1 and '&lt;input type="text"' in body


def test_a_snippet_deep_in_a_long_entry_is_plain_text_around_the_match(client, users, login):
    user = users.make()
    login(user)
    filler = "Plain *filler* words for a long day.\n\n" * 300
    write(user, title="Long", content=filler + "A [heron](https://birds.example/heron) **stood** still.\n\n" + filler)
    page = client.get("/journal/", query_string={"q": "heron"}).get_data(as_text=True)
    snippet = page.split('class="entry-row"', 1)[1].split("<p>", 1)[1].split("</p>", 1)[0]
    assert snippet.startswith("…") and snippet.endswith("…")
    assert "A <mark>heron</mark> stood still." in snippet
    assert_no_markup(snippet.replace("<mark>", "").replace("</mark>", ""))


def test_refresh_excerpts_remakes_old_excerpts_once_and_leaves_revisions(app, users, runner):
    first, second = users.make(), users.make()
    old = make_entry(
        first, content=MARKED_UP, excerpt="Day Highlight --- --- Mon Fresh start OpenStreetMap (https://…)"
    )
    current = write(first, content="Already **plain** here")
    theirs = make_entry(second, content="[Link](https://example.org) text", excerpt="[Link](https://example.org) text")
    result = runner.invoke(args=["journal", "refresh-excerpts"])
    assert result.exit_code == 0 and "Remade 2 excerpts." in result.output
    refreshed = journal_entries.get_entry(first.id, old["_id"])
    assert refreshed["excerpt"] == SEEN and refreshed["revision"] == old["revision"]
    assert journal_entries.get_entry(second.id, theirs["_id"])["excerpt"] == "Link text"
    assert journal_entries.get_entry(first.id, current["_id"])["excerpt"] == "Already plain here"
    assert "Remade 0 excerpts." in runner.invoke(args=["journal", "refresh-excerpts"]).output
