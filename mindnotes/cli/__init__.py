"""Every `flask` command, registered from here: the stores' own commands at the top
level, then one `flask <feature>` group per feature (one module each)."""

from flask import Flask

from mindnotes.cli import analytics, billing, documents, exports, focus, journal, mood, plans, prompts, stores, upgrades


def init_app(app: Flask) -> None:
    for command in (
        stores.serve_command,
        stores.init_mongodb_command,
        stores.seed_command,
        stores.reconcile_command,
        stores.queue_followups_command,
        documents.repair_documents_command,
        upgrades.upgrade_data_command,
        journal.journal_group,
        mood.mood_group,
        prompts.prompts_group,
        focus.focus_group,
        exports.exports_group,
        analytics.analytics_group,
        billing.billing_group,
        plans.plans_group,
    ):
        app.cli.add_command(command)
