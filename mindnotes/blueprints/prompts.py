"""Daily prompts: today's set, answering and swapping a prompt, history.

An answer or a swap from htmx swaps just that prompt's card (and refreshes the
progress line out of band); without JavaScript the same forms post and
redirect back to today's page.
"""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from mindnotes.errors import UserError
from mindnotes.htmx import is_htmx_request, render_page_or_partial
from mindnotes.inputs import parse_day
from mindnotes.services import prompts
from mindnotes.services.prompts import days as prompt_days
from mindnotes.web import show_errors

bp = Blueprint("prompts", __name__, url_prefix="/prompts")

MOOD_CHOICES = [SelectChoice("", "No mood")] + [SelectChoice(str(value)) for value in range(1, 11)]
# Refusals of the prompt itself, answered in its card; any other error is about the answer and goes beside it.
PROMPT_REFUSALS = (
    prompts.PromptSetNotFound,
    prompts.PromptNotInSet,
    prompts.PromptAlreadyAnswered,
    prompts.PromptSetBusy,
)


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class AnswerForm(FlaskForm):
    answer = TextAreaField(
        "Your answer",
        filters=[_strip],
        validators=[
            DataRequired("Write an answer first."),
            Length(max=prompts.ANSWER_MAX, message=f"An answer is at most {prompts.ANSWER_MAX:,} characters."),
        ],
    )
    mood = SelectField("Mood now (optional)", choices=MOOD_CHOICES)
    # When the form was shown, signed by the server: the answer's time spent.
    shown = HiddenField()
    # Made when the form is shown: the same form sent twice stores one answer.
    answer_key = HiddenField()


def _answer_form(prompt_id: int, **kwargs) -> AnswerForm:
    form = AnswerForm(prefix=f"p{prompt_id}", **kwargs)
    if not form.shown.data:
        form.shown.data = prompts.shown_token(prompt_id)
    if not form.answer_key.data:
        form.answer_key.data = prompts.new_answer_key()
    return form


def _card_context(today: prompts.TodaysPrompts, prompt: dict, form: AnswerForm | None, message: str, progress: bool):
    return {
        "progress": progress,
        "today": today,
        "prompt": prompt,
        "form": form or _answer_form(prompt["prompt_id"], formdata=None),
        "day_label": prompt_days.day_label,
        "message": message,
    }


def _card(today: prompts.TodaysPrompts, prompt: dict, form=None, message: str = "", status: int = 200):
    """For htmx: the one prompt's card, and after a change the progress line out of band."""
    context = _card_context(today, prompt, form, message, progress=status == 200)
    return render_template("prompts/_card_response.html", **context), status


def _refused(set_id: str, prompt_id: int, error: UserError):
    """A refusal: for htmx the card again (as stored now) with the message, else the error page."""
    if not is_htmx_request():
        raise error
    prompt_set = prompts.get_prompt_set(current_user, set_id)
    today = prompts.TodaysPrompts(prompt_set, prompt_days.answers_of(current_user, prompt_set), 0)
    return _card(today, prompts.prompt_of(prompt_set, prompt_id), message=error.message, status=error.status)


@bp.get("/")
@login_required
def today():
    today = prompts.todays_prompts(current_user)
    forms = {p["prompt_id"]: _answer_form(p["prompt_id"], formdata=None) for p in today.prompt_set["prompts"]}
    return render_template("prompts/today.html", today=today, forms=forms, day_label=prompt_days.day_label)


@bp.post("/<set_id>/<id:prompt_id>/answer")
@login_required
def answer(set_id: str, prompt_id: int):
    prompt_set = prompts.get_prompt_set(current_user, set_id)
    prompt = prompts.prompt_of(prompt_set, prompt_id)
    form = _answer_form(prompt_id)
    today = prompts.TodaysPrompts(prompt_set, {}, 0)
    if not form.validate_on_submit():
        return _invalid(today, prompt, form)
    try:
        outcome = prompts.answer_prompt(
            current_user,
            set_id,
            prompt_id,
            form.answer.data,
            mood=int(form.mood.data) if form.mood.data else None,
            time_spent_seconds=prompts.seconds_since_shown(form.shown.data, prompt_id),
            answer_key=form.answer_key.data or "",
        )
    except UserError as error:
        if isinstance(error, PROMPT_REFUSALS):
            return _refused(set_id, prompt_id, error)
        # Invalid input, the day's entry in the trash, the journal's refusals (entry limit...).
        show_errors(form, error, "answer")
        return _invalid(today, prompt, form, status=error.status)
    if is_htmx_request():
        today = prompts.TodaysPrompts(
            outcome.prompt_set, {prompt_id: outcome.response}, prompt_days.prompt_streak(current_user)
        )
        message = "All done for today. Well written!" if today.completed else ""
        return _card(today, outcome.prompt, message=message)
    flash("All done for today. Well written!" if outcome.prompt_set.get("completed") else "Saved in your journal.")
    return redirect(url_for("prompts.today", _anchor=f"prompt-{prompt_id}"))


def _invalid(today: prompts.TodaysPrompts, prompt: dict, form: AnswerForm, status: int = 422):
    """The card again with the errors beside the fields and what was typed kept."""
    if is_htmx_request():
        return _card(today, prompt, form, status=status)
    full = prompts.todays_prompts(current_user)
    forms = {p["prompt_id"]: _answer_form(p["prompt_id"], formdata=None) for p in full.prompt_set["prompts"]}
    forms[prompt["prompt_id"]] = form
    return render_template("prompts/today.html", today=full, forms=forms, day_label=prompt_days.day_label), status


@bp.post("/<set_id>/<id:prompt_id>/swap")
@login_required
def swap(set_id: str, prompt_id: int):
    prompts.prompt_of(prompts.get_prompt_set(current_user, set_id), prompt_id)
    try:
        prompt_set, new_prompt = prompts.swap_prompt(current_user, set_id, prompt_id)
    except (prompts.SwapRefused, prompts.PromptSetBusy) as error:
        return _refused(set_id, prompt_id, error)
    if is_htmx_request():
        today = prompts.TodaysPrompts(prompt_set, {}, prompt_days.prompt_streak(current_user))
        return _card(today, new_prompt)
    flash("Here is another prompt.")
    return redirect(url_for("prompts.today", _anchor=f"prompt-{new_prompt['prompt_id']}"))


@bp.get("/history")
@login_required
def history():
    before = parse_day(request.args.get("before"))
    days, older = prompt_days.prompt_history(current_user, before.isoformat() if before else None)
    return render_page_or_partial(
        "prompts/history.html",
        "prompts/_history_days.html",
        days=days,
        older=older,
        streak=prompt_days.prompt_streak(current_user),
        day_label=prompt_days.day_label,
    )
