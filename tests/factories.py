"""Test factories: people with accounts, made through the same service as sign-up."""

from itertools import count

from mindnotes.models import User
from mindnotes.services.account import register_user
from mindnotes.services.billing.plans import grant_plan

PASSWORD = "correct horse battery"
_numbers = count(1)


class UserFactory:
    """`users.make(**overrides)` registers a person and returns the User."""

    def make(
        self,
        email: str | None = None,
        password: str = PASSWORD,
        timezone: str = "UTC",
        display_name: str = "",
        plan: str = "free",
    ) -> User:
        email = email or f"person{next(_numbers)}@example.com"
        user = register_user(email, password, display_name, timezone)
        if plan != "free":
            grant_plan(user, plan)
        return user
