"""`flask mood upgrade`: bring moods stored before issue 17 up to date (run once at deploy; twice is harmless)."""

import click
from flask.cli import AppGroup

from mindnotes.jobs.mood import upgrade_all_moods

mood_group = AppGroup("mood", help="The mood tracker's stored moods.")


@mood_group.command("upgrade")
def upgrade_command() -> None:
    """Give every unscored mood its score from valence and intensity."""
    totals = upgrade_all_moods()
    click.echo(f"Scored {totals.get('scored', 0)} moods.")
