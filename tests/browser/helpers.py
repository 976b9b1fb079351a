"""Steps the browser tests share: signing in through the login page."""

from tests.factories import PASSWORD


def sign_in(page, live_server: str, email: str) -> None:
    """Sign in through the login page with the factories' password and wait for the home page."""
    page.goto(f"{live_server}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server}/home")
