"""Hot paths over HTTP beside a bare Flask "hello" (issue 21).

MindNotes runs under gunicorn (2 sync workers, and an RQ worker beside it, as
deployed) on the stores named by DATABASE_URL / MONGO_URI / REDIS_URL, or on the
embedded default's (temporary SQLite, nx-27017, the bundled Redis). A bare Flask
app answering "hello" runs under the same gunicorn settings. One client drives
both: 8 connections (threads, a new TCP connection per request, since gunicorn's
sync workers close each one), REQUESTS requests per measurement. Rounds
interleave every path of both apps; each figure is the median of the rounds.

Paths, for signed-in people with histories bulk-inserted as bench/journal.py does and their figures
recounted by the analytics job:
create entry (POST, a premium writer), journal list page 1 at 1,000 and at
10,000 entries, dashboard and mood page (the 1,000-entry person), focus
heartbeat (htmx, a running session). Printed for each: req/s, p50 and p95 in
ms, then req/s as a fraction of bare Flask's; the headline lines
`dashboard_fraction_of_bare_flask` and `create_fraction_of_bare_flask` last.
"""

import importlib.util
import sys
import sysconfig
from pathlib import Path

HERE = Path(__file__).resolve().parent

if __name__ == "__main__":
    # The standard library's `http` first, then this folder on the path for the benchmark's modules.
    sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != HERE]
    import http.client  # noqa: F401

    sys.path.insert(0, str(HERE))
    from _http_bench import main

    main()
else:
    # Named http.py as issue 21 asks, this file is what `import http` finds first in any script run from
    # this folder (`python bench/NAME.py`): such an import gets the standard library's package instead.
    _STDLIB_HTTP = Path(sysconfig.get_paths()["stdlib"]) / "http"
    _spec = importlib.util.spec_from_file_location(
        "http", _STDLIB_HTTP / "__init__.py", submodule_search_locations=[str(_STDLIB_HTTP)]
    )
    sys.modules["http"] = _module = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(_module)
