"""`flask mood upgrade`: moods and entries stored before issue 17 brought up to date (at deploy; twice is harmless)."""

import click
from flask.cli import AppGroup

from mindnotes.jobs.mood import upgrade_all_moods

mood_group = AppGroup("mood", help="The mood tracker's stored moods.")


@mood_group.command("upgrade")
def upgrade_command() -> None:
    """Give every unscored mood its score, and turn entries' old 1-10 moods into linked mood logs."""
    totals = upgrade_all_moods()
    click.echo(f"Scored {totals.get('scored', 0)} moods; linked {totals.get('linked', 0)} entries' old moods.")
