"""RQ job functions: ids in, no request context, safe to run twice.

They run inside the app context that `worker.py` (or the inline queue) provides.
"""
