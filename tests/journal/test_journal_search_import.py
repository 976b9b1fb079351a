"""An entry that came in through an import is found by its words like one written here."""

from mindnotes.services.journal import search as journal_search
from tests.imports.flow import import_file, own_files  # noqa: F401
from tests.imports.samples import zip_of


def test_an_imported_entry_is_found_by_its_words(client, users, login):
    user = users.make()
    login(user)
    notes = {"Vault/Heron.md": "---\ntitle: By the weir\n---\n\nA *grey* heron stood still."}
    import_file(client, zip_of(notes), "markdown")
    found = journal_search.search_entries(user.id, user.timezone, journal_search.Filters(text='"grey heron" weir'))
    assert [entry["title"] for entry in found] == ["By the weir"]
