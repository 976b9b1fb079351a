"""Focus: start and run a session (live timer), programs, statistics."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from mindnotes.htmx import is_htmx_request, render_page_or_partial
from mindnotes.inputs import coerce_id, parse_id
from mindnotes.services import focus
from mindnotes.services.focus import checkin as focus_checkin
from mindnotes.services.focus import programs as focus_programs
from mindnotes.services.focus import stats as focus_stats
from mindnotes.web import confirm_page, show_errors

bp = Blueprint("focus", __name__, url_prefix="/focus")


def an_enrollment_id(form, field) -> None:
    if field.data and parse_id(field.data) is None:
        raise ValidationError("Choose one of your programs.")


CHECKIN_CHOICES = [(str(score), word) for score, word in focus_checkin.SCORES.items()]


class StartForm(FlaskForm):
    session_type = RadioField(
        "Kind of session",
        choices=[
            (code, f"{kind.label} ({kind.minutes} min)" if kind.minutes else "Custom length")
            for code, kind in focus.SESSION_TYPES.items()
        ],
        default="pomodoro",
        validators=[InputRequired("Choose a kind of session.")],
    )
    custom_minutes = IntegerField("Custom length in minutes", validators=[Optional()])
    task = StringField("What will you work on?", validators=[Length(max=focus.TASK_MAX)])
    tag_ids = SelectMultipleField("Tags", coerce=coerce_id, validate_choice=False)
    enrollment_id = SelectField("Count towards a program day", validators=[an_enrollment_id], validate_choice=False)
    # The new session's id, made when the form is shown: the same form sent twice starts one session.
    session_id = HiddenField()
    # The optional check-in; its rules are the service's (services.focus.checkin).
    intention = StringField("Your intention for this session")
    before_score = RadioField("How do you feel now?", choices=CHECKIN_CHOICES, validate_choice=False)


class CompleteForm(FlaskForm):
    rating = RadioField(
        "How productive was it?",
        choices=[(str(n), str(n)) for n in range(1, 6)],
        validators=[InputRequired("Rate how productive the session was, from 1 to 5.")],
    )
    notes = TextAreaField("Notes (optional)", validators=[Length(max=focus.NOTES_MAX)])
    after_score = RadioField("How do you feel now? (optional)", choices=CHECKIN_CHOICES, validate_choice=False)


class DistractionForm(FlaskForm):
    note = StringField("What pulled you away? (optional)", validators=[Length(max=focus.DISTRACTION_NOTE_MAX)])


def _start_form(**kwargs) -> StartForm:
    form = StartForm(**kwargs)
    form.tag_ids.choices = focus.tag_choices(current_user.id)
    form.enrollment_id.choices = [("", "No program")] + [
        (str(eid), label) for eid, label in focus_programs.open_days(current_user)
    ]
    if not form.session_id.data:
        form.session_id.data = focus.new_session_id()
    return form


def _render_index(form: StartForm, status: int = 200, already_running: dict | None = None):
    return render_template(
        "focus/index.html",
        form=form,
        running=focus.get_running_session(current_user.id),
        already_running=already_running,
        stats=focus_stats.focus_statistics(current_user),
        recent=focus.recent_sessions(current_user.id),
        type_label=focus.session_type_label,
        is_break=focus.is_break,
    ), status


@bp.get("/")
@login_required
def index():
    form = _start_form(formdata=None, enrollment_id=request.args.get("program", ""))
    return _render_index(form)


@bp.post("/sessions")
@login_required
def start():
    form = _start_form()
    if not form.validate_on_submit():
        return _render_index(form, 422)
    try:
        session_request = focus.SessionRequest(
            session_type=form.session_type.data,
            custom_minutes=form.custom_minutes.data,
            task=form.task.data or "",
            tag_ids=form.tag_ids.data or [],
            enrollment_id=parse_id(form.enrollment_id.data),
            session_id=form.session_id.data or "",
            checkin=focus_checkin.before_checkin(form.intention.data or "", form.before_score.data),
        )
        session = focus.start_session(current_user, session_request)
    except focus.SessionInvalid as error:
        show_errors(form, error)
        return _render_index(form, error.status)
    except focus.SessionAlreadyRunning as error:
        return _render_index(form, error.status, already_running=error.running or {})
    return redirect(url_for("focus.show", session_id=session["_id"]))


def _show(session: dict, status: int = 200, message: str | None = None, **forms):
    return render_page_or_partial(
        "focus/session.html",
        "focus/_timer.html",
        status,
        session=session,
        clock=focus.clock(session),
        type_label=focus.session_type_label(session),
        is_break=focus.is_break(session),
        tags=focus.tag_names(current_user.id, session.get("tag_ids") or []),
        message=message,
        complete_form=forms.get("complete_form") or CompleteForm(formdata=None),
        distraction_form=forms.get("distraction_form") or DistractionForm(formdata=None),
        heartbeat_seconds=focus.HEARTBEAT_SECONDS,
        checkin_words=focus_checkin.SCORES,
    )


def _after_change(session: dict):
    """htmx swaps in the new timer; a plain form goes back to the session page."""
    if is_htmx_request():
        return _show(session)
    return redirect(url_for("focus.show", session_id=session["_id"]))


@bp.errorhandler(focus.TransitionRefused)
def refused(error: focus.TransitionRefused):
    """A change the session's state does not allow: the session as it stands, with why."""
    session = focus.get_session(current_user.id, request.view_args["session_id"])
    return _show(session, error.status, message=str(error))


@bp.get("/sessions/<session_id>")
@login_required
def show(session_id: str):
    return _show(focus.get_session(current_user.id, session_id))


@bp.post("/sessions/<session_id>/heartbeat")
@login_required
def heartbeat(session_id: str):
    return _after_change(focus.heartbeat(current_user, session_id))


@bp.post("/sessions/<session_id>/pause")
@login_required
def pause(session_id: str):
    return _after_change(focus.pause_session(current_user, session_id))


@bp.post("/sessions/<session_id>/resume")
@login_required
def resume(session_id: str):
    return _after_change(focus.resume_session(current_user, session_id))


@bp.get("/sessions/<session_id>/abandon")
@login_required
def confirm_abandon(session_id: str):
    session = focus.get_session(current_user.id, session_id)
    if session["status"] not in ("active", "paused"):
        return redirect(url_for("focus.show", session_id=session_id))
    return confirm_page(
        "Abandon this session?",
        "It ends now and its time is not counted as focus. This cannot be undone.",
        action=url_for("focus.abandon", session_id=session_id),
        button="Abandon session",
        cancel=url_for("focus.show", session_id=session_id),
    )


@bp.post("/sessions/<session_id>/abandon")
@login_required
def abandon(session_id: str):
    return _after_change(focus.abandon_session(current_user, session_id))


@bp.post("/sessions/<session_id>/distraction")
@login_required
def distraction(session_id: str):
    form = DistractionForm()
    if not form.validate_on_submit():
        return _show(focus.get_session(current_user.id, session_id), 422, distraction_form=form)
    return _after_change(focus.note_distraction(current_user, session_id, form.note.data or ""))


@bp.post("/sessions/<session_id>/complete")
@login_required
def complete(session_id: str):
    form = CompleteForm()
    if not form.validate_on_submit():
        return _show(focus.get_session(current_user.id, session_id), 422, complete_form=form)
    try:
        after_score = focus_checkin.after_score(form.after_score.data)
    except focus.SessionInvalid as error:
        show_errors(form, error)
        return _show(focus.get_session(current_user.id, session_id), error.status, complete_form=form)
    session = focus.complete_session(current_user, session_id, int(form.rating.data), form.notes.data or "")
    if after_score is not None:
        session = focus_checkin.check_out(current_user, session_id, after_score)
    if not is_htmx_request():
        done = "Break finished." if focus.is_break(session) else f"Completed: {session['focus_minutes']} focus minutes."
        flash(done, "success")
    return _after_change(session)


@bp.get("/programs")
@login_required
def programs():
    return render_template("focus/programs.html", programs=focus_programs.list_programs(current_user))


@bp.post("/programs/<id:program_id>/enroll")
@login_required
def enroll(program_id: int):
    try:
        enrollment = focus_programs.enroll(current_user, program_id)
    except focus_programs.ProgramLocked as error:
        flash(str(error), "info")
        return redirect(url_for("focus.programs"))
    except focus_programs.AlreadyEnrolled as error:
        flash(str(error), "info")
        return redirect(url_for("focus.enrollment", enrollment_id=error.enrollment.id))
    flash(f"You are enrolled in {enrollment.program.name}. Day 1 is open.", "success")
    return redirect(url_for("focus.enrollment", enrollment_id=enrollment.id))


def _show_day(view: focus_programs.DayView, status: int = 200, message: str | None = None):
    return render_page_or_partial(
        "focus/enrollment.html", "focus/_program_day.html", status, view=view, message=message
    )


@bp.get("/enrollments/<id:enrollment_id>")
@login_required
def enrollment(enrollment_id: int):
    return _show_day(
        focus_programs.day_view(current_user, focus_programs.get_enrollment(current_user.id, enrollment_id))
    )


@bp.post("/enrollments/<id:enrollment_id>/tasks/<int:index>")
@login_required
def tick_task(enrollment_id: int, index: int):
    try:
        view = focus_programs.tick_task(current_user, enrollment_id, index)
    except focus_programs.DayNotOpen as error:
        enrollment = focus_programs.get_enrollment(current_user.id, enrollment_id)
        return _show_day(focus_programs.day_view(current_user, enrollment), error.status, message=str(error))
    if is_htmx_request():
        return _show_day(view)
    return redirect(url_for("focus.enrollment", enrollment_id=enrollment_id))
