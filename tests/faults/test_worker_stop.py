"""`python worker.py` stops when told to (SIGTERM: `docker stop`, a platform's restart, `flask serve`'s Ctrl-C).

A worker that ignores it is killed 10 s later by whoever asked, in the middle of
whatever job it had started by then.
"""

import signal
import subprocess

from tests.faults.conftest import wait_until


def test_an_idle_worker_stops_within_10_s_of_sigterm(own_redis, serve, start_worker):
    served = serve(redis=own_redis)
    worker = start_worker(served.app)
    # In its loop, waiting for jobs (RQ cleans its registries first thing there, its signal handlers set).
    wait_until(lambda: "cleaning registries" in worker.log(), 30, f"the worker started\n{worker.log()[-3000:]}")

    worker.process.send_signal(signal.SIGTERM)
    try:
        code = worker.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"The worker was still running 10 s after SIGTERM:\n{worker.log()[-3000:]}") from None
    assert code == 0, worker.log()[-3000:]
