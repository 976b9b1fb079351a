import pytest
from py_vapid import Vapid


@pytest.fixture(autouse=True)
def vapid_key(app) -> Vapid:
    """The server's VAPID key, given by settings (so no test writes one into instance/)."""
    key = Vapid()
    key.generate_keys()
    app.config["VAPID_PRIVATE_KEY"] = key.private_pem().decode()
    return key
