"""Deleting accounts in the background; each job is safe to run twice or after a crash."""

from mindnotes.services.account.deletion import erase_account, pending_deletion_ids


def delete_account(user_id: int) -> dict[str, int]:
    return erase_account(user_id)


def resume_pending_deletions() -> int:
    """Finish every deletion that was asked for but not completed (its job failed or was lost)."""
    user_ids = pending_deletion_ids()
    for user_id in user_ids:
        erase_account(user_id)
    return len(user_ids)
