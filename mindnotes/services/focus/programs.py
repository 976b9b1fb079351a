"""Focus programs: enrolling, the current day's tasks and minutes, progress and streak.

A program day completes when its focus minutes are done (completed sessions
started for that day) and all its tasks are ticked. The next day opens on the
person's next local day, so a program streak is a run of consecutive local days
on which a program day was completed.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from mindnotes import timeutil
from mindnotes.documents import focus_sessions
from mindnotes.errors import Conflict, Forbidden, NotFound, UserError
from mindnotes.extensions import db
from mindnotes.models import FocusProgram, ProgramDay, ProgramEnrollment, User
from mindnotes.services.billing.plans import plan_for


class ProgramError(UserError):
    """Something about a focus program the person should know (422 unless a subclass says otherwise)."""


class ProgramNotFound(ProgramError, NotFound):
    """No such program, enrollment or task, or not this person's (404)."""


class ProgramLocked(ProgramError, Forbidden):
    """A premium program for a person whose plan does not include programs (403)."""


class AlreadyEnrolled(ProgramError, Conflict):
    """A second enrollment in the same program (409); `enrollment` is the existing one."""

    def __init__(self, enrollment: ProgramEnrollment) -> None:
        super().__init__("You are already enrolled in this program.")
        self.enrollment = enrollment


class DayNotOpen(ProgramError, Conflict):
    """Today's program day is done, or none is open (409)."""


@dataclass(frozen=True)
class Task:
    index: int
    text: str
    ticked: bool


@dataclass(frozen=True)
class DayView:
    """An enrollment as the person sees it today."""

    enrollment: ProgramEnrollment
    program: FocusProgram
    day: ProgramDay
    minutes_done: int
    tasks: list[Task]
    open_today: bool
    finished: bool
    days_done: int
    streak: int

    @property
    def minutes_left(self) -> int:
        return max(0, self.day.focus_minutes - self.minutes_done)

    @property
    def progress_percent(self) -> int:
        return round(100 * self.days_done / self.program.days_count) if self.program.days_count else 0


def list_programs(user: User) -> list[tuple[FocusProgram, ProgramEnrollment | None]]:
    programs = db.session.scalars(select(FocusProgram).order_by(FocusProgram.is_premium, FocusProgram.name))
    enrollments = {
        enrollment.program_id: enrollment
        for enrollment in db.session.scalars(select(ProgramEnrollment).where(ProgramEnrollment.user_id == user.id))
    }
    return [(program, enrollments.get(program.id)) for program in programs]


def enroll(user: User, program_id: int, now: datetime | None = None) -> ProgramEnrollment:
    """Enroll the person once; the unique (user, program) constraint settles a double click."""
    program = db.session.get(FocusProgram, program_id)
    if program is None:
        raise ProgramNotFound()
    existing = _enrollment_in(user.id, program_id)
    if existing is not None:
        raise AlreadyEnrolled(existing)
    if program.is_premium and not plan_for(user.id).focus_programs:
        raise ProgramLocked(
            f"“{program.name}” is part of the Premium plan. Your plan includes the free programs; "
            "upgrade to Premium to enroll in this one."
        )
    enrollment = ProgramEnrollment(user_id=user.id, program_id=program.id, enrolled_at=now or timeutil.utcnow())
    db.session.add(enrollment)
    try:
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise AlreadyEnrolled(_enrollment_in(user.id, program_id)) from error
    return enrollment


def _enrollment_in(user_id: int, program_id: int) -> ProgramEnrollment | None:
    return db.session.scalar(
        select(ProgramEnrollment).where(
            ProgramEnrollment.user_id == user_id, ProgramEnrollment.program_id == program_id
        )
    )


def get_enrollment(user_id: int, enrollment_id: int, for_update: bool = False) -> ProgramEnrollment:
    query = select(ProgramEnrollment).where(ProgramEnrollment.id == enrollment_id, ProgramEnrollment.user_id == user_id)
    enrollment = db.session.scalar(query.with_for_update() if for_update else query)
    if enrollment is None:
        raise ProgramNotFound()
    return enrollment


def _current_day(enrollment: ProgramEnrollment) -> ProgramDay:
    return db.session.scalar(
        select(ProgramDay).where(
            ProgramDay.program_id == enrollment.program_id, ProgramDay.day_number == enrollment.current_day
        )
    )


def _is_open_today(enrollment: ProgramEnrollment, today: str) -> bool:
    completed = enrollment.days_completed or []
    return enrollment.completed_at is None and not (completed and completed[-1]["local_date"] == today)


def _streak(enrollment: ProgramEnrollment, today: str) -> int:
    days = {entry["local_date"] for entry in enrollment.days_completed or []}
    cursor = date.fromisoformat(today)
    if cursor.isoformat() not in days:
        cursor -= timedelta(days=1)
    streak = 0
    while cursor.isoformat() in days:
        streak += 1
        cursor -= timedelta(days=1)
    return streak


def day_view(user: User, enrollment: ProgramEnrollment, now: datetime | None = None) -> DayView:
    today = timeutil.local_date(now or timeutil.utcnow(), user.timezone)
    day = _current_day(enrollment)
    ticked = set((enrollment.tasks_done or {}).get(str(day.day_number), []))
    return DayView(
        enrollment=enrollment,
        program=enrollment.program,
        day=day,
        minutes_done=focus_sessions.program_day_minutes(user.id, enrollment.program_id, day.day_number),
        tasks=[Task(index, text, index in ticked) for index, text in enumerate(day.tasks)],
        open_today=_is_open_today(enrollment, today),
        finished=enrollment.completed_at is not None,
        days_done=len(enrollment.days_completed or []),
        streak=_streak(enrollment, today),
    )


def tick_task(user: User, enrollment_id: int, index: int, now: datetime | None = None) -> DayView:
    """Tick (or untick) one of today's tasks; the day completes when everything is done."""
    now = now or timeutil.utcnow()
    enrollment = get_enrollment(user.id, enrollment_id, for_update=True)
    day = _current_day(enrollment)
    if not 0 <= index < len(day.tasks):
        db.session.rollback()
        raise ProgramNotFound()
    if not _is_open_today(enrollment, timeutil.local_date(now, user.timezone)):
        db.session.rollback()
        raise DayNotOpen("Today's program day is done; the next one opens tomorrow.")
    done = dict(enrollment.tasks_done or {})
    ticked = set(done.get(str(day.day_number), []))
    ticked ^= {index}
    done[str(day.day_number)] = sorted(ticked)
    enrollment.tasks_done = done
    db.session.commit()
    complete_day_if_done(user, enrollment.program_id, day.day_number, now)
    return day_view(user, get_enrollment(user.id, enrollment_id), now)


def complete_day_if_done(user: User, program_id: int, day_number: int, now: datetime) -> bool:
    """Complete the program day when its minutes are done and its tasks ticked (once)."""
    enrollment = _enrollment_in(user.id, program_id)
    today = timeutil.local_date(now, user.timezone)
    if enrollment is None or enrollment.current_day != day_number or not _is_open_today(enrollment, today):
        return False
    view = day_view(user, enrollment, now)
    if view.minutes_left or not all(task.ticked for task in view.tasks):
        return False
    last_day = day_number >= view.program.days_count
    # Conditional on the day still being current: two completions at once advance it once.
    advanced = db.session.execute(
        update(ProgramEnrollment)
        .where(
            ProgramEnrollment.id == enrollment.id,
            ProgramEnrollment.current_day == day_number,
            ProgramEnrollment.completed_at.is_(None),
        )
        .values(
            current_day=day_number if last_day else day_number + 1,
            days_completed=[*(enrollment.days_completed or []), {"day": day_number, "local_date": today}],
            completed_at=now if last_day else None,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return advanced.rowcount == 1


def session_program_day(user: User, enrollment_id: int, now: datetime) -> tuple[int, int]:
    """The (program id, day number) a new session counts towards; refused if the day is not open."""
    try:
        enrollment = get_enrollment(user.id, enrollment_id)
    except ProgramNotFound as error:
        raise ProgramNotFound("Choose one of your programs.") from error
    if not _is_open_today(enrollment, timeutil.local_date(now, user.timezone)):
        raise DayNotOpen("That program has no day open today.")
    return enrollment.program_id, enrollment.current_day


def open_days(user: User, now: datetime | None = None) -> list[tuple[int, str]]:
    """(enrollment id, label) for each program day a new session can count towards today."""
    today = timeutil.local_date(now or timeutil.utcnow(), user.timezone)
    enrollments = db.session.scalars(select(ProgramEnrollment).where(ProgramEnrollment.user_id == user.id))
    return [
        (enrollment.id, f"{enrollment.program.name}, day {enrollment.current_day}")
        for enrollment in enrollments
        if _is_open_today(enrollment, today)
    ]
