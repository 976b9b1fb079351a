"""`flask upgrade-data`: run the data upgrades this install has not run yet, now, in the foreground."""

import click
from flask.cli import with_appcontext

from mindnotes.jobs.upgrades import run_pending_upgrades


@click.command("upgrade-data")
@with_appcontext
def upgrade_data_command() -> None:
    """Run the pending data upgrades for every person (they also run by themselves in the background
    after `flask serve` or `flask init-mongodb` starts; each runs once per install)."""
    ran = run_pending_upgrades()
    if ran:
        click.echo(f"Ran {len(ran)} data upgrade(s): {', '.join(ran)}.")
    else:
        click.echo("Nothing to do: every data upgrade has already run on this install.")
