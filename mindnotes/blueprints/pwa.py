"""The installable app's own addresses: the service worker at the site's root (so its scope
is the whole site), the page it shows when the network is gone, and a fresh form token for
the entries a person wrote offline (static/js/offline.js sends them through the normal
create path once the connection returns)."""

import hashlib
import json
from functools import cache
from pathlib import Path

from flask import Blueprint, Response, current_app, render_template, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

bp = Blueprint("pwa", __name__)

SERVICE_WORKER = "sw.js"


@cache
def _shell_files(static_folder: str) -> tuple[str, tuple[str, ...]]:
    """The version of the app shell (a hash of every static file) and the files it caches.

    Computed once per process: static files change only with a deploy, which restarts it.
    """
    root = Path(static_folder)
    digest = hashlib.sha256()
    names = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        name = path.relative_to(root).as_posix()
        digest.update(name.encode() + b"\0" + path.read_bytes())
        if name != SERVICE_WORKER:
            names.append(name)
    return digest.hexdigest()[:12], tuple(names)


@bp.get("/sw.js")
def service_worker():
    static_folder = current_app.static_folder or ""
    version, names = _shell_files(static_folder)
    settings = {
        "version": version,
        "files": [url_for("static", filename=name) for name in names],
        "offlinePage": url_for("pwa.offline"),
        "newEntryPage": url_for("journal.new"),
    }
    source = (Path(static_folder) / SERVICE_WORKER).read_text()
    body = f"self.MINDNOTES_SHELL = {json.dumps(settings)};\n{source}"
    response = Response(body, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/offline")
def offline():
    """Shown by the service worker for a page it cannot fetch; public, so it is cached."""
    return render_template("offline.html")


@bp.get("/app/form-token")
def form_token():
    """The signed-in person's current form token, for sending what they wrote offline."""
    if not current_user.is_authenticated:
        return Response("Log in to send what you wrote offline.", status=401, mimetype="text/plain")
    return Response(generate_csrf(), mimetype="text/plain")
