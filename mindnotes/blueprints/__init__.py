"""Thin views: parse input, call a service, render the page or its partial."""

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from mindnotes.blueprints import (
        account,
        auth,
        billing,
        exports,
        focus,
        health,
        insights,
        journal,
        main,
        mood,
        prompts,
        pwa,
        reminders,
        security,
    )

    app.register_blueprint(health.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(account.bp)
    app.register_blueprint(billing.bp)
    app.register_blueprint(exports.bp)
    app.register_blueprint(focus.bp)
    app.register_blueprint(journal.bp)
    app.register_blueprint(insights.bp)
    app.register_blueprint(main.bp)
    app.register_blueprint(mood.bp)
    app.register_blueprint(prompts.bp)
    app.register_blueprint(pwa.bp)
    app.register_blueprint(reminders.bp)
    app.register_blueprint(security.bp)
