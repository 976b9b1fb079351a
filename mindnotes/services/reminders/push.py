"""Web Push (RFC 8030/8291/8292) through pywebpush: the server's VAPID key, and one message
sent to each of a person's devices; a subscription the push service says is gone (404, 410)
is removed.

The VAPID key is VAPID_PRIVATE_KEY (PEM, or the raw key in base64url) when set; otherwise one
is made once and kept in `instance/vapid_private.pem`. Changing it makes every browser
subscribe again (their subscriptions name the public key).
"""

import contextlib
import json
import os
from functools import cache
from pathlib import Path

import requests
from cryptography.hazmat.primitives import serialization
from flask import current_app
from py_vapid import Vapid
from py_vapid.utils import b64urlencode
from pywebpush import WebPushException, webpush

from mindnotes.documents import reminders as plans

GONE = {404, 410}
PUSH_TIMEOUT_SECONDS = 10
# A reminder is worth showing for a few hours; past that the push service may drop it.
PUSH_TTL_SECONDS = 4 * 3600


@cache
def _key_from(text: str) -> Vapid:
    return Vapid.from_pem(text.encode()) if "BEGIN" in text else Vapid.from_string(text)


def _key_file() -> Path:
    path = Path(current_app.instance_path) / "vapid_private.pem"
    if not path.exists():
        key = Vapid()
        key.generate_keys()
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f"vapid_private.{os.getpid()}")
        draft.touch(mode=0o600)
        draft.write_bytes(key.private_pem())
        # A hard link appears whole or not at all: two processes starting at once keep one key.
        with contextlib.suppress(FileExistsError):
            os.link(draft, path)
        draft.unlink()
    return path


def vapid_key() -> Vapid:
    return _key_from(current_app.config["VAPID_PRIVATE_KEY"] or _key_file().read_text())


def public_key() -> str:
    """The server's public key as browsers take it (`applicationServerKey`): the raw point in base64url."""
    raw = vapid_key().public_key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return b64urlencode(raw)


def push_to_devices(user_id: int, message: dict) -> int:
    """Send `message` (title, body, url, pause_url) to each of the person's devices; how many took it."""
    delivered = 0
    for subscription in plans.subscriptions_of(user_id):
        info = {"endpoint": subscription["endpoint"], "keys": subscription["keys"]}
        try:
            webpush(
                info,
                data=json.dumps(message),
                vapid_private_key=vapid_key(),
                vapid_claims={"sub": current_app.config["VAPID_SUBJECT"]},
                timeout=PUSH_TIMEOUT_SECONDS,
                ttl=PUSH_TTL_SECONDS,
            )
        except WebPushException as error:
            status = error.response.status_code if error.response is not None else None
            if status in GONE:
                plans.remove_subscription(user_id, subscription["endpoint"])
            else:
                current_app.logger.warning("Push to a device of user %s failed: %s", user_id, status)
            continue
        except requests.RequestException as error:
            current_app.logger.warning("Push service unreachable for user %s: %s", user_id, type(error).__name__)
            continue
        delivered += 1
    return delivered
