"""The yardstick of bench/http.py: a bare Flask "hello", served by the same gunicorn settings as MindNotes."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "hello"
