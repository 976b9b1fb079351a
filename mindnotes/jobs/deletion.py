"""Deleting an account in the background: `delete_account(user_id)`, safe to run twice or after a crash."""

from mindnotes.services.deletion import erase_account


def delete_account(user_id: int) -> dict[str, int]:
    return erase_account(user_id)
