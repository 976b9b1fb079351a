"""Mood tracker: the picker, editing, history, the week view, trends, and the person's own moods and factors."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from mindnotes.htmx import is_htmx_request, render_page_or_partial
from mindnotes.services.mood import (
    MoodForm,
    MoodInvalid,
    change_mood,
    delete_mood,
    linked_entry,
    log_mood,
    mood_categories,
    own,
)
from mindnotes.services.mood import history as mood_history
from mindnotes.services.mood import trends as mood_trends
from mindnotes.services.mood.fields import logged_summary, score_word
from mindnotes.web import confirm_page, safe_next

bp = Blueprint("mood", __name__, url_prefix="/mood")
bp.add_app_template_filter(score_word, "mood_word")


CHARTS = {
    "daily": ("mood/_chart_daily.html", mood_trends.daily_chart),
    "categories": ("mood/_chart_categories.html", mood_trends.category_chart),
    "factors": ("mood/_chart_factors.html", mood_trends.factor_chart),
}


def picker_context(form: MoodForm) -> dict:
    """What `mood/_picker.html` needs; other pages (the dashboard) include the picker with it."""
    categories, factors = own.offered(current_user.id, current_user.profile.mood_choices_version)
    return {
        "form": form,
        "categories": categories,
        "factors": factors,
        "linked_entry": linked_entry(current_user, form.journal_entry_id),
    }


def _render_logger(form: MoodForm, status: int = 200, logged: dict | None = None):
    return render_page_or_partial(
        "mood/index.html",
        "mood/_logger.html",
        status,
        recent=mood_history.recent_moods(current_user),
        logged=logged,
        **picker_context(form),
    )


@bp.get("/")
@login_required
def index():
    return _render_logger(MoodForm.blank(current_user.timezone, journal_entry_id=request.args.get("entry", "")))


@bp.post("/")
@login_required
def create():
    form = MoodForm.from_formdata(request.form)
    try:
        mood = log_mood(current_user, form)
    except MoodInvalid as error:
        # The picker shows `form.errors` beside each field (it is not a WTForms form).
        form.errors = error.errors
        return _render_logger(form, error.status)
    if is_htmx_request():
        return _render_logger(MoodForm.blank(current_user.timezone), logged=mood)
    flash(f"Mood logged: {logged_summary(mood)}.", "success")
    return redirect(safe_next(request.form.get("next"), url_for("mood.index")))


def _render_edit(mood_id: str, form: MoodForm, status: int = 200):
    return render_template("mood/edit.html", mood_id=mood_id, **picker_context(form)), status


@bp.get("/<mood_id>/edit")
@login_required
def edit(mood_id: str):
    mood = mood_history.get_mood(current_user, mood_id)
    if mood is None:
        abort(404)
    return _render_edit(mood_id, MoodForm.from_mood(mood, current_user.timezone))


@bp.post("/<mood_id>")
@login_required
def update(mood_id: str):
    form = MoodForm.from_formdata(request.form)
    try:
        mood = change_mood(current_user, mood_id, form)
    except MoodInvalid as error:
        form.errors = error.errors
        return _render_edit(mood_id, form, error.status)
    if mood is None:
        abort(404)
    flash("Mood updated.", "success")
    return redirect(url_for("mood.history"))


@bp.get("/<mood_id>/delete")
@login_required
def confirm_delete(mood_id: str):
    if mood_history.get_mood(current_user, mood_id) is None:
        abort(404)
    return confirm_page(
        "Delete this mood?",
        "It leaves your history, trends and calendar for good. This cannot be undone.",
        action=url_for("mood.delete", mood_id=mood_id),
        button="Delete mood",
        cancel=url_for("mood.edit", mood_id=mood_id),
    )


@bp.post("/<mood_id>/delete")
@login_required
def delete(mood_id: str):
    if delete_mood(current_user, mood_id) is None:
        abort(404)
    flash("Mood deleted.", "success")
    return redirect(url_for("mood.history"))


@bp.get("/history")
@login_required
def history():
    filters = mood_history.HistoryFilter.from_args(request.args)
    mood_history.validate_filter(filters)
    page = None if filters.errors else mood_history.history_page(current_user, filters)
    return render_page_or_partial(
        "mood/history.html",
        "mood/_history.html",
        422 if filters.errors else 200,
        filters=filters,
        history_page=page,
        categories=mood_categories(current_user.id),
    )


@bp.get("/week")
@login_required
def week():
    return render_page_or_partial(
        "mood/week.html", "mood/_week.html", week=mood_history.week_of(current_user, request.args.get("of", ""))
    )


def _all_charts(days: int) -> dict:
    return {f"{name}_chart": build(current_user, days) for name, (_, build) in CHARTS.items()}


@bp.get("/trends")
@login_required
def trends():
    days = mood_trends.chosen_range(request.args.get("days"))
    return render_page_or_partial(
        "mood/trends.html", "mood/_trends.html", days=days, ranges=mood_trends.RANGES, **_all_charts(days)
    )


@bp.get("/trends/<chart>")
@login_required
def trend_chart(chart: str):
    if chart not in CHARTS:
        abort(404)
    template, build = CHARTS[chart]
    days = mood_trends.chosen_range(request.args.get("days"))
    return render_page_or_partial(
        "mood/chart.html", template, chart_template=template, days=days, **{f"{chart}_chart": build(current_user, days)}
    )


@bp.get("/year")
@login_required
def year():
    pixels = mood_trends.year_in_pixels(current_user, mood_trends.chosen_year(request.args.get("year"), current_user))
    return render_page_or_partial(
        "mood/year.html",
        "mood/_year.html",
        pixels=pixels,
        months=mood_trends.month_summaries(pixels),
        palette=mood_trends.PALETTE,
    )


# Your own moods: categories and factors. `kind` is "categories" or "factors".


def _choices_page(status: int = 200, adding: str = "", typed: dict | None = None, errors: dict | None = None):
    """The list of the person's categories and factors; `adding` the kind whose add form has problems."""
    return render_template(
        "mood/choices.html",
        categories=own.categories_of(current_user.id, include_hidden=True),
        factors=own.factors_of(current_user.id, include_hidden=True),
        category_valences=own.CATEGORY_VALENCES,
        factor_valences=own.FACTOR_VALENCES,
        adding=adding,
        typed=typed or {},
        errors=errors or {},
    ), status


def _kind_or_404(kind: str) -> None:
    if kind not in own.VALENCES:
        abort(404)


def _own_item(kind: str, item_id: int):
    item = own.item_of(current_user.id, kind, item_id)
    if item is None:
        abort(404)
    return item


@bp.get("/choices")
@login_required
def choices():
    return _choices_page()


@bp.post("/choices/<kind>")
@login_required
def add_choice(kind: str):
    _kind_or_404(kind)
    try:
        item = own.save(current_user.id, kind, None, request.form)
    except own.ChoiceInvalid as error:
        return _choices_page(error.status, adding=kind, typed=request.form, errors=error.errors)
    flash(f"Added {item.name}.", "success")
    return redirect(url_for("mood.choices"))


def _edit_page(kind: str, item, typed: dict, errors: dict | None = None, status: int = 200):
    return render_template(
        "mood/choice_edit.html",
        kind=kind,
        item=item,
        typed=typed,
        errors=errors or {},
        valences=own.VALENCES[kind],
    ), status


@bp.get("/choices/<kind>/<id:item_id>/edit")
@login_required
def edit_choice(kind: str, item_id: int):
    _kind_or_404(kind)
    item = _own_item(kind, item_id)
    typed = {"name": item.name, "valence": str(item.valence)}
    typed.update({"emoji": item.emoji} if kind == "categories" else {"allowed_values": ", ".join(item.allowed_values)})
    return _edit_page(kind, item, typed)


@bp.post("/choices/<kind>/<id:item_id>")
@login_required
def update_choice(kind: str, item_id: int):
    _kind_or_404(kind)
    item = _own_item(kind, item_id)
    try:
        saved = own.save(current_user.id, kind, item.id, request.form)
    except own.ChoiceInvalid as error:
        return _edit_page(kind, item, request.form, error.errors, error.status)
    flash(f"Saved {saved.name}. Moods logged before keep the name they had.", "success")
    return redirect(url_for("mood.choices"))


@bp.post("/choices/<kind>/<id:item_id>/move")
@login_required
def move_choice(kind: str, item_id: int):
    _kind_or_404(kind)
    if not own.move(current_user.id, kind, item_id, -1 if request.form.get("direction") == "up" else 1):
        abort(404)
    return redirect(url_for("mood.choices") + f"#{kind}-{item_id}")


@bp.post("/choices/<kind>/<id:item_id>/hide")
@login_required
def hide_choice(kind: str, item_id: int):
    _kind_or_404(kind)
    hidden = request.form.get("hidden") == "1"
    if not own.set_hidden(current_user.id, kind, item_id, hidden):
        abort(404)
    flash("Hidden: no longer offered when you log a mood." if hidden else "Shown again.", "success")
    return redirect(url_for("mood.choices") + f"#{kind}-{item_id}")
