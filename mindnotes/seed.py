"""Reference data loaded by `flask seed`; running it again changes nothing."""

from flask import current_app
from sqlalchemy import select

from mindnotes.extensions import db
from mindnotes.models import (
    DailyPrompt,
    FocusProgram,
    MoodCategory,
    MoodFactor,
    Plan,
    ProgramDay,
    PromptCategory,
)

MOOD_CATEGORIES = [
    ("Joyful", "😄", 2),
    ("Grateful", "🙏", 2),
    ("Calm", "😌", 1),
    ("Content", "🙂", 1),
    ("Energetic", "⚡", 1),
    ("Tired", "😴", -1),
    ("Anxious", "😰", -1),
    ("Sad", "😢", -2),
    ("Angry", "😠", -2),
    ("Stressed", "😣", -1),
    # Neither pleasant nor not: the mood an "okay" (3) score gets when no other is chosen.
    ("Neutral", "😐", 0),
]

MOOD_FACTORS = [
    ("sleep", ["poor", "ok", "good"]),
    ("exercise", ["none", "light", "hard"]),
    ("social", ["alone", "some", "lots"]),
    ("work", ["light", "normal", "heavy"]),
    ("diet", ["poor", "ok", "good"]),
    ("weather", ["grey", "mixed", "sunny"]),
    ("outdoors", ["none", "a little", "a lot"]),
    ("screen time", ["low", "medium", "high"]),
    ("caffeine", ["none", "some", "lots"]),
    ("health", ["unwell", "ok", "well"]),
]

PROMPTS = {
    "Gratitude": [
        "What are three small things you are grateful for today?",
        "Who made your day a little better, and how?",
        "What is something you usually take for granted that you appreciate today?",
        "Which comfort in your home are you thankful for right now?",
        "What ability of your body or mind are you grateful for?",
        "What is a recent kindness you received?",
        "What made you smile today?",
        "Which season or weather do you love, and why?",
        "What lesson from a hard time are you now thankful for?",
        "Who taught you something important, and what was it?",
    ],
    "Reflection": [
        "What did you learn about yourself this week?",
        "What took most of your energy today, and was it worth it?",
        "What would you do differently if today started again?",
        "Which belief of yours has changed in the last year?",
        "When did you feel most like yourself recently?",
        "What are you avoiding, and what would help you face it?",
        "What did a mistake teach you recently?",
        "What conversation has stayed with you, and why?",
        "What pattern do you notice in your moods lately?",
        "What question are you living with right now?",
    ],
    "Goals": [
        "What is one thing you want to finish this week?",
        "What small step could you take tomorrow towards a bigger goal?",
        "What does a good day look like for you a year from now?",
        "Which habit would you like to build, and what is its first step?",
        "What is getting in the way of a goal you care about?",
        "How will you know you have made progress this month?",
        "What would you try if you knew you could not fail?",
        "Which goal no longer fits you, and can you let it go?",
        "Who could help you with something you are working on?",
        "What did you finish recently that you are proud of?",
    ],
    "Relationships": [
        "Who would you like to spend more time with, and why?",
        "Describe a moment of real connection you had recently.",
        "Is there someone you owe a thank-you or an apology?",
        "How do you like to be supported when things are hard?",
        "What do your closest friends value in you?",
        "Which relationship has grown the most this year?",
        "What boundary would make one of your relationships healthier?",
        "Who do you miss, and what do you miss about them?",
        "How did you show someone care today?",
        "What have you learned from someone very different from you?",
    ],
    "Wellbeing": [
        "How did you take care of your body today?",
        "What helps you wind down at the end of a long day?",
        "When did you last feel truly rested?",
        "What drains you, and what restores you?",
        "What is one thing you could do tomorrow to feel 10% better?",
        "How did you sleep, and what might have affected it?",
        "Where in your body do you feel stress, and what eases it?",
        "What does your ideal slow morning look like?",
        "What are you saying yes to that you would rather say no to?",
        "Which simple pleasure did you enjoy today?",
    ],
    "Creativity": [
        "Describe the view from where you are sitting as if for a stranger.",
        "If today were a chapter in a book, what would its title be?",
        "Write about an object you own that holds a story.",
        "What idea has been on your mind that you have not acted on?",
        "Describe a smell that brings back a memory.",
        "What would you create if you had a free week and no obligations?",
        "Write a short letter to yourself ten years ago.",
        "Which piece of music, art or writing moved you lately?",
        "Invent a tiny ritual that would make your week better.",
        "What did you notice today that most people would miss?",
    ],
}

FOCUS_PROGRAMS = [
    {
        "slug": "focus-foundations",
        "name": "Focus foundations",
        "description": "Seven days that build a steady daily focus habit, one pomodoro at a time.",
        "is_premium": False,
        "days": [
            (25, ["Pick one task for the day", "Silence notifications"]),
            (25, ["Write tomorrow's first task tonight"]),
            (50, ["Clear your desk", "Two pomodoros back to back"]),
            (50, ["Note every distraction instead of acting on it"]),
            (75, ["Plan three pomodoros", "Take real breaks"]),
            (75, ["Review the week's distractions"]),
            (100, ["Do your longest focus block yet", "Reflect on the week"]),
        ],
    },
    {
        "slug": "deep-work-sprint",
        "name": "Deep work sprint",
        "description": "Fourteen days of longer, protected deep-work blocks for demanding projects.",
        "is_premium": True,
        "days": [(50 + 10 * (n // 2), [f"Deep work block {n + 1}", "Log what you finished"]) for n in range(14)],
    },
]


def _get_or_create(model, lookup: dict, **values):
    row = db.session.scalar(select(model).filter_by(**lookup))
    if row is None:
        row = model(**lookup, **values)
        db.session.add(row)
    return row


def seed_reference_data() -> dict[str, int]:
    """Create what is missing; never duplicates and never removes."""
    free_limit = current_app.config["FREE_PLAN_ENTRY_LIMIT"]
    _get_or_create(
        Plan,
        {"code": "free"},
        name="Free",
        entry_limit=free_limit,
        focus_programs=False,
        pdf_export=False,
        price_minor=0,
        currency="EUR",
    )
    _get_or_create(
        Plan,
        {"code": "premium"},
        name="Premium",
        entry_limit=None,
        focus_programs=True,
        pdf_export=True,
        price_minor=500,
        currency="EUR",
    )
    for name, emoji, valence in MOOD_CATEGORIES:
        _get_or_create(MoodCategory, {"name": name}, emoji=emoji, valence=valence)
    for name, values in MOOD_FACTORS:
        _get_or_create(MoodFactor, {"name": name}, allowed_values=values)
    for category_name, texts in PROMPTS.items():
        category = _get_or_create(PromptCategory, {"name": category_name})
        db.session.flush()
        for index, prompt_text in enumerate(texts):
            _get_or_create(DailyPrompt, {"text": prompt_text}, category_id=category.id, difficulty=1 + index % 3)
    for spec in FOCUS_PROGRAMS:
        program = _get_or_create(
            FocusProgram,
            {"slug": spec["slug"]},
            name=spec["name"],
            description=spec["description"],
            days_count=len(spec["days"]),
            is_premium=spec["is_premium"],
        )
        db.session.flush()
        for number, (minutes, tasks) in enumerate(spec["days"], start=1):
            _get_or_create(
                ProgramDay, {"program_id": program.id, "day_number": number}, focus_minutes=minutes, tasks=tasks
            )
    db.session.commit()
    return {
        "plans": db.session.query(Plan).count(),
        "mood_categories": db.session.query(MoodCategory).count(),
        "mood_factors": db.session.query(MoodFactor).count(),
        "prompts": db.session.query(DailyPrompt).count(),
        "focus_programs": db.session.query(FocusProgram).count(),
    }
