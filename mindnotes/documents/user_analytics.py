"""user_analytics: one pre-aggregated document per person for the dashboard."""

from mindnotes import timeutil
from mindnotes.documents import collection

NAME = "user_analytics"


def get_analytics(user_id: int) -> dict | None:
    return collection(NAME).find_one({"user_id": user_id})


def save_analytics(user_id: int, figures: dict) -> None:
    """Replace the person's figures as a whole (the rebuild job owns them)."""
    document = {**figures, "user_id": user_id, "rebuilt_at": timeutil.utcnow()}
    collection(NAME).replace_one({"user_id": user_id}, document, upsert=True)
