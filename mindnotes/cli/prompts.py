"""`flask prompts cleanup`: drop old daily prompt sets nobody answered."""

import click
from flask.cli import AppGroup

from mindnotes.jobs.prompts import cleanup_prompt_sets

prompts_group = AppGroup("prompts", help="The daily prompts.")


@prompts_group.command("cleanup")
def cleanup_command() -> None:
    """Delete prompt sets older than 30 days in which nothing was answered."""
    deleted = cleanup_prompt_sets()
    click.echo(f"Deleted {deleted} unanswered prompt set(s) older than 30 days.")
