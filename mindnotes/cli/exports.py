"""`flask exports expire`: delete export files past their 7 days."""

import click
from flask.cli import AppGroup

from mindnotes.jobs.exports import expire_exports

exports_group = AppGroup("exports", help="Exports of people's journals.")


@exports_group.command("expire")
def expire_command() -> None:
    """Delete export files past their 7 days (as the hourly job does); for setups without Redis."""
    click.echo(f"{expire_exports()} export(s) expired.")
