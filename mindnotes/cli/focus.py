"""`flask focus close-overdue`: end focus sessions left running."""

import click
from flask.cli import AppGroup

from mindnotes.jobs.focus import close_overdue_sessions

focus_group = AppGroup("focus", help="Focus sessions.")


@focus_group.command("close-overdue")
def close_overdue_command() -> None:
    """Close focus sessions left running past their planned end + 60 minutes."""
    click.echo(f"Closed {close_overdue_sessions()} overdue focus session(s).")
