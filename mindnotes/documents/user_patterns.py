"""user_patterns: one document per person with their Patterns figures (the analytics recount keeps it)."""

from mindnotes.documents import collection

NAME = "user_patterns"


def get_patterns(user_id: int) -> dict | None:
    return collection(NAME).find_one({"user_id": user_id})


def save_patterns(user_id: int, patterns: dict) -> None:
    """Replace the person's patterns as a whole (no `_id` in the replacement: nx-27017 would rewrite it)."""
    collection(NAME).replace_one({"user_id": user_id}, {**patterns, "user_id": user_id}, upsert=True)
