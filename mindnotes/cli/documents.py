"""`flask repair-documents`: heal what earlier versions stored with the wrong types on nx-27017."""

from collections import Counter

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from mindnotes.documents.repair import repair_person
from mindnotes.extensions import db
from mindnotes.models import User


@click.command("repair-documents")
@click.option("--dry-run", is_flag=True, help="Print what would change, per collection, without writing.")
@with_appcontext
def repair_documents_command(dry_run: bool) -> None:
    """Turn datetimes and subdocuments stored as text back into their types, person by person (safe to repeat).

    Run it once after upgrading an install made with an earlier version, and
    before moving the embedded default's data to MongoDB.
    """
    totals: Counter[str] = Counter()
    people = 0
    for user_id in db.session.scalars(select(User.id).order_by(User.id)):
        counts = repair_person(user_id, dry_run=dry_run)
        totals.update(counts)
        people += bool(counts)
    verb = "would be repaired" if dry_run else "repaired"
    for name in sorted(totals):
        click.echo(f"{name}: {totals[name]} document(s) {verb}")
    summary = f"{sum(totals.values())} document(s) of {people} person(s) {verb}"
    click.echo(summary + (" (dry run: nothing was written)." if dry_run else "."))
