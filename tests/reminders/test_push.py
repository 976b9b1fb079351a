"""A reminder delivered by Web Push to a stand-in push service: a small HTTP server in the test
that records the request, checks its VAPID signature (RFC 8292) and decrypts its aes128gcm
body (RFC 8291) with the browser's keys; a subscription the service says is gone is removed."""

import base64
import json
import os
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, HTTPServer

import http_ece
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from mindnotes.documents import reminders as plans
from mindnotes.services.reminders.push import public_key
from tests.reminders.helpers import remind, run_job

MONDAY_MORNING = datetime(2027, 3, 29, 6, tzinfo=UTC)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class PushService:
    """Answers 201 to every push (410 at the paths in `gone`) and keeps what it received."""

    def __init__(self):
        self.received: list[dict] = []
        self.gone: set[str] = set()
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                service.received.append(
                    {
                        "path": self.path,
                        "headers": {name.lower(): value for name, value in self.headers.items()},
                        "body": body,
                    }
                )
                self.send_response(410 if self.path in service.gone else 201)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)


@pytest.fixture
def push_service():
    service = PushService()
    service.thread.start()
    yield service
    service.server.shutdown()
    service.server.server_close()


class Browser:
    """A browser's side of a push subscription: its P-256 key pair and auth secret."""

    def __init__(self):
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)
        raw = self.key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        self.p256dh = b64url(raw)

    def subscribe(self, user, endpoint: str) -> None:
        # Straight into the store: the service takes only https endpoints, and the stand-in is plain http.
        plans.add_subscription(user.id, endpoint, self.p256dh, b64url(self.auth), MONDAY_MORNING)

    def read(self, body: bytes) -> dict:
        return json.loads(http_ece.decrypt(body, private_key=self.key, auth_secret=self.auth, version="aes128gcm"))


def check_vapid(authorization: str, audience: str) -> dict:
    """The claims of a valid `vapid t=<JWT>, k=<key>` header signed by the server's key; fails otherwise."""
    scheme, params = authorization.split(" ", 1)
    assert scheme == "vapid"
    fields = dict(part.strip().split("=", 1) for part in params.split(","))
    assert fields["k"] == public_key()
    signer = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(fields["k"]))
    header, claims, signature = fields["t"].split(".")
    assert json.loads(unb64url(header)) == {"typ": "JWT", "alg": "ES256"}
    raw = unb64url(signature)
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    signer.verify(der, f"{header}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))  # raises if forged
    decoded = json.loads(unb64url(claims))
    assert decoded["aud"] == audience
    return decoded


def test_a_reminder_reaches_each_device_signed_and_encrypted(app, users, push_service):
    person = users.make(email="pushed@example.com")
    phone, laptop = Browser(), Browser()
    phone.subscribe(person, f"{push_service.origin}/push/phone")
    laptop.subscribe(person, f"{push_service.origin}/push/laptop")
    remind(person, MONDAY_MORNING, by_email="", by_push="y", mood_on="y", mood_time_1="08:30")

    assert run_job(datetime(2027, 3, 29, 8, 30, 15, tzinfo=UTC)) == 1

    by_path = {request["path"]: request for request in push_service.received}
    assert sorted(by_path) == ["/push/laptop", "/push/phone"]
    for path, browser in [("/push/phone", phone), ("/push/laptop", laptop)]:
        request = by_path[path]
        claims = check_vapid(request["headers"]["authorization"], push_service.origin)
        assert claims["sub"] == app.config["VAPID_SUBJECT"]
        assert request["headers"]["content-encoding"] == "aes128gcm"
        assert int(request["headers"]["ttl"]) > 0
        message = browser.read(request["body"])
        assert message["title"] == "How are you feeling?"
        assert message["url"] == "/mood/"
        assert message["pause_url"].startswith("/reminders/pause/")
        assert message["tag"] == "mood:2027-03-29T08:30"
    with pytest.raises(http_ece.ECEException):
        laptop.read(by_path["/push/phone"]["body"])  # one device cannot read another's copy


def test_a_subscription_the_push_service_calls_gone_is_removed(users, push_service):
    person = users.make()
    kept, gone = Browser(), Browser()
    kept.subscribe(person, f"{push_service.origin}/push/kept")
    gone.subscribe(person, f"{push_service.origin}/push/gone")
    remind(person, MONDAY_MORNING, by_email="", by_push="y", journal_on="y", journal_time="20:00")
    push_service.gone = {"/push/gone"}

    run_job(datetime(2027, 3, 29, 20, 0, 5, tzinfo=UTC))

    assert len(push_service.received) == 2
    assert [subscription["endpoint"] for subscription in plans.subscriptions_of(person.id)] == [
        f"{push_service.origin}/push/kept"
    ]
