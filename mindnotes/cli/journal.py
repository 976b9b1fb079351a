"""`flask journal purge-trash`: empty the trash of entries past their 30 days;
`flask journal refresh-excerpts`: remake stored excerpts as plain text (once, after upgrading)."""

import click
from flask.cli import AppGroup

from mindnotes.services import journal
from mindnotes.services.journal import upkeep as journal_upkeep

journal_group = AppGroup("journal", help="The journal's entries.")


@journal_group.command("purge-trash")
def purge_trash_command() -> None:
    """Delete entries trashed more than 30 days ago, with their files, and free their plan slots."""
    click.echo(f"Purged {journal.purge_expired_trash()} entries from the trash.")


@journal_group.command("refresh-excerpts")
def refresh_excerpts_command() -> None:
    """Remake every entry's excerpt as the plain text of its rendered Markdown (safe to run again)."""
    click.echo(f"Remade {journal_upkeep.refresh_all_excerpts()} excerpts.")
