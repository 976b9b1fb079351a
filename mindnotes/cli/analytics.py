"""`flask analytics rebuild --user ID | --all`: recount people's figures now."""

import click
from flask.cli import AppGroup
from sqlalchemy import select

from mindnotes.extensions import db
from mindnotes.jobs.analytics import rebuild_user_analytics
from mindnotes.models import User

analytics_group = AppGroup("analytics", help="The pre-aggregated figures behind the dashboard, calendar and insights.")


@analytics_group.command("rebuild")
@click.option("--user", "user_id", type=int, help="Rebuild this person's figures (their user id).")
@click.option("--all", "everyone", is_flag=True, help="Rebuild everyone's figures, one person after another.")
def rebuild_command(user_id: int | None, everyone: bool) -> None:
    """Recount figures from the journal, mood, focus and prompt documents (safe to repeat)."""
    if (user_id is None) == (not everyone):
        raise click.UsageError("Choose either --user ID or --all.")
    if user_id is not None:
        figures = rebuild_user_analytics(user_id)
        if figures is None:
            raise click.ClickException(f"No account with the id {user_id}.")
        totals = figures["totals"]
        click.echo(
            f"user {user_id}: {totals['entries']} entries, {totals['words']} words, "
            f"{totals['moods']} moods, {totals['focus_minutes']} focus minutes; "
            f"longest streak {figures['streak']['longest']} day(s)."
        )
        return
    rebuilt = 0
    for each_id in db.session.scalars(select(User.id).order_by(User.id)):
        rebuild_user_analytics(each_id)
        rebuilt += 1
    click.echo(f"Rebuilt the figures of {rebuilt} people.")
