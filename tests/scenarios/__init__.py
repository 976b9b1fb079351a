"""Scenario tests: each starts the app as `make run` does and walks it end to end."""
