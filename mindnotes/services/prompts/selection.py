"""Choosing the prompts of a day: a pure function of the catalogue, the person's
recent answers and a `random.Random` (seeded in tests).

- No prompt answered in the last 90 days comes back, unless too few others are
  left; then the ones answered longest ago are recycled first.
- Categories are drawn without replacement, so a set spreads across them.
- A category's chance follows the share of the person's answers in it, with a
  floor (half of an even share) so the others still come up.
"""

import random
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

REPEAT_WINDOW_DAYS = 90
# A category never weighs less than this part of an even share.
CATEGORY_FLOOR = 0.5


@dataclass(frozen=True)
class PromptChoice:
    prompt_id: int
    question: str
    category_id: int
    category_name: str


@dataclass
class AnswerHistory:
    """What the person answered within the repeat window."""

    # prompt id -> local date ("YYYY-MM-DD") it was last answered
    last_answered: dict[int, str] = field(default_factory=dict)
    # category id -> answers in the window
    answers_per_category: Counter = field(default_factory=Counter)


def category_weights(category_ids: Collection[int], answers_per_category: Mapping[int, int]) -> dict[int, float]:
    """Each category's weight: its share of the person's answers, never below the floor."""
    count = len(category_ids)
    if count == 0:
        return {}
    total = sum(answers_per_category.get(category_id, 0) for category_id in category_ids)
    floor = CATEGORY_FLOOR / count
    weights = {}
    for category_id in category_ids:
        share = answers_per_category.get(category_id, 0) / total if total else 1 / count
        weights[category_id] = max(share, floor)
    return weights


def _pool(catalogue: Sequence[PromptChoice], count: int, history: AnswerHistory, exclude: Collection[int]):
    """The prompts to choose from: those not answered lately, topped up with the longest-ago answered."""
    available = sorted((p for p in catalogue if p.prompt_id not in exclude), key=lambda p: p.prompt_id)
    fresh = [p for p in available if p.prompt_id not in history.last_answered]
    if len(fresh) >= count:
        return fresh
    answered = sorted(
        (p for p in available if p.prompt_id in history.last_answered),
        key=lambda p: (history.last_answered[p.prompt_id], p.prompt_id),
    )
    return fresh + answered[: count - len(fresh)]


def choose_prompts(
    catalogue: Sequence[PromptChoice],
    count: int,
    history: AnswerHistory,
    rng: random.Random,
    exclude: Collection[int] = (),
) -> list[PromptChoice]:
    """Up to `count` prompts, at most one per category until every category has given one."""
    by_category: dict[int, list[PromptChoice]] = {}
    for prompt in _pool(catalogue, count, history, exclude):
        by_category.setdefault(prompt.category_id, []).append(prompt)
    weights = category_weights(sorted({p.category_id for p in catalogue}), history.answers_per_category)
    chosen: list[PromptChoice] = []
    while len(chosen) < count and by_category:
        round_categories = sorted(by_category)
        while round_categories and len(chosen) < count:
            category_id = rng.choices(round_categories, [weights[c] for c in round_categories])[0]
            round_categories.remove(category_id)
            prompts = by_category[category_id]
            chosen.append(prompts.pop(rng.randrange(len(prompts))))
            if not prompts:
                del by_category[category_id]
    return chosen
