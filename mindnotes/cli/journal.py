"""`flask journal purge-trash`: empty the trash of entries past their 30 days."""

import click
from flask.cli import AppGroup

from mindnotes.services import journal

journal_group = AppGroup("journal", help="The journal's entries.")


@journal_group.command("purge-trash")
def purge_trash_command() -> None:
    """Delete entries trashed more than 30 days ago, with their files, and free their plan slots."""
    click.echo(f"Purged {journal.purge_expired_trash()} entries from the trash.")
