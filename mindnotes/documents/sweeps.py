"""The only queries allowed to cross people, each with the index that serves it.

Every other query, update, delete, upsert and aggregation `$match` on a
per-person collection has `user_id` equality in its filter, so on a cluster
sharded by `user_id` it reaches one shard (tests/test_query_targeting.py
checks every command the suite makes). The sweeps below are the scheduled
jobs' and must read everybody's documents; each names the collection and the
index whose leading field its filter bounds, so it never scans the collection.
"""

CROSS_PERSON_SWEEPS: dict[str, tuple[str, str]] = {
    # journal.purge_expired_trash: entries trashed before a moment.
    "mindnotes.documents.journal_entries.trashed_before": ("journal_entries", "deleted_at"),
    # focus.close_overdue_sessions: running sessions past their planned end.
    "mindnotes.documents.focus_sessions.overdue_sessions": ("focus_sessions", "status_planned_end"),
    # prompts.cleanup_prompt_sets: unanswered sets older than a day.
    "mindnotes.documents.daily_prompt_sets.delete_unanswered_before": ("daily_prompt_sets", "unanswered_local_date"),
    # followups.queue_waiting_followups: follow-up jobs a write could not queue, oldest first.
    "mindnotes.documents.job_outbox.oldest_records": ("job_outbox", "created_at"),
    # reminders.send_due_reminders: plans whose next reminder is due.
    "mindnotes.documents.reminders.due_plans": ("reminder_plans", "due_minute"),
}
