"""`flask plans grant EMAIL PLAN_CODE`: put a person on a plan by hand."""

import click
from flask.cli import AppGroup

from mindnotes.services.account import find_user_by_email
from mindnotes.services.billing.plans import UnknownPlan, grant_plan

plans_group = AppGroup("plans", help="Administer people's plans.")


@plans_group.command("grant")
@click.argument("email")
@click.argument("plan_code")
def grant_command(email: str, plan_code: str) -> None:
    """Put the account EMAIL on PLAN_CODE (free or premium)."""
    user = find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"No account with the email {email}.")
    try:
        plan = grant_plan(user, plan_code)
    except UnknownPlan as error:
        raise click.ClickException(f"No plan with the code {plan_code}.") from error
    click.echo(f"{user.email} is now on the {plan.name} plan.")
