"""Each person's own mood categories and factors: the shared defaults with their changes, and their own.

A person can add, rename, re-emoji (categories), revalue (factors), reorder
and hide them; the shared rows (models/mood.py) stay as they are, the
defaults a new account starts from. A change is one choice row per person
and id (`MoodCategoryChoice`, `MoodFactorChoice`). A hidden one is no longer
offered in the picker, and the moods logged with it keep it (each mood stores
the name and emoji it had when it was logged).

The list is one statement: the shared rows joined with the person's choices,
with their own added ones after (UNION ALL). The picker, on every dashboard and
mood page, takes them from this process's memory under the person's
`mood_choices_version` (read with their profile at sign-in check), which every
change here counts up in its own transaction: a kept list is never older than
the person's choices. The shared rows change only with a deploy (`flask seed`
at start), which starts the processes again.
"""

from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import and_, func, literal, select, union_all, update
from sqlalchemy.exc import IntegrityError

from mindnotes.errors import Conflict, UserError
from mindnotes.extensions import db
from mindnotes.inputs import parse_int
from mindnotes.models import MoodCategory, MoodCategoryChoice, MoodFactor, MoodFactorChoice, Profile
from mindnotes.models.mood import OWN_ID_START

NAME_MAX = 40
EMOJI_MAX = 16
VALUE_MAX = 20
VALUES_MIN, VALUES_MAX = 2, 6
# How many moods (or factors) one person's list holds, the defaults included.
ITEMS_MAX = 60
CATEGORY_VALENCES = {-2: "very unpleasant", -1: "unpleasant", 0: "neutral", 1: "pleasant", 2: "very pleasant"}
FACTOR_VALENCES = {1: "later values are better", 0: "neither", -1: "later values are worse"}
VALENCES = {"categories": CATEGORY_VALENCES, "factors": FACTOR_VALENCES}


class ChoiceInvalid(UserError):
    """The form breaks a rule; `errors` maps each field to its message (422)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors=errors)


@dataclass(frozen=True)
class Category:
    id: int
    name: str
    emoji: str
    valence: int
    position: int | None
    hidden: bool


@dataclass(frozen=True)
class Factor:
    id: int
    name: str
    valence: int
    allowed_values: list[str]
    position: int | None
    hidden: bool


def _sorted(items: list, default_order) -> list:
    """In the person's order: a row they never placed keeps its default place (`default_order`);
    one they added goes after those, and once they move any, every row has its place."""
    unplaced = sorted((item for item in items if item.position is None), key=default_order)
    place = {item.id: index for index, item in enumerate(unplaced)}
    return sorted(items, key=lambda item: (item.position if item.position is not None else place[item.id], item.id))


def categories_of(user_id: int, include_hidden: bool = False) -> list[Category]:
    """The person's categories in their order (pleasant first until they reorder); hidden ones on request."""
    choice = MoodCategoryChoice
    shared = select(
        MoodCategory.id,
        func.coalesce(choice.name, MoodCategory.name).label("name"),
        func.coalesce(choice.emoji, MoodCategory.emoji).label("emoji"),
        func.coalesce(choice.valence, MoodCategory.valence).label("valence"),
        choice.position,
        func.coalesce(choice.hidden, False).label("hidden"),
    ).outerjoin(choice, and_(choice.category_id == MoodCategory.id, choice.user_id == user_id))
    own = select(choice.category_id, choice.name, choice.emoji, choice.valence, choice.position, choice.hidden).where(
        choice.user_id == user_id, choice.category_id >= OWN_ID_START
    )
    listed = [Category(**row) for row in db.session.execute(union_all(shared, own)).mappings()]
    categories = _sorted(listed, lambda item: (-item.valence, item.id))
    return categories if include_hidden else [category for category in categories if not category.hidden]


def factors_of(user_id: int, include_hidden: bool = False) -> list[Factor]:
    """The person's factors in their order; hidden ones on request."""
    choice = MoodFactorChoice
    shared = select(
        MoodFactor.id,
        func.coalesce(choice.name, MoodFactor.name).label("name"),
        func.coalesce(choice.valence, literal(0)).label("valence"),
        func.coalesce(choice.allowed_values, MoodFactor.allowed_values).label("allowed_values"),
        choice.position,
        func.coalesce(choice.hidden, False).label("hidden"),
    ).outerjoin(choice, and_(choice.factor_id == MoodFactor.id, choice.user_id == user_id))
    own = select(
        choice.factor_id, choice.name, choice.valence, choice.allowed_values, choice.position, choice.hidden
    ).where(choice.user_id == user_id, choice.factor_id >= OWN_ID_START)
    listed = [Factor(**row) for row in db.session.execute(union_all(shared, own)).mappings()]
    factors = _sorted(listed, lambda item: item.id)
    return factors if include_hidden else [factor for factor in factors if not factor.hidden]


@lru_cache(maxsize=4096)
def offered(user_id: int, version: int) -> tuple[tuple[Category, ...], tuple[Factor, ...]]:
    """The categories and factors the picker offers, kept in this process under the person's
    `mood_choices_version` (Profile): a new version is a new key, so the kept lists are never stale."""
    return tuple(categories_of(user_id)), tuple(factors_of(user_id))


def _choice(model, user_id: int, item_id: int):
    """The person's choice row for `item_id`, made when they first change it."""
    row = db.session.get(model, (user_id, item_id))
    if row is None:
        row = model(user_id=user_id, hidden=False, **{_key(model): item_id})
        db.session.add(row)
    return row


def _key(model) -> str:
    return "category_id" if model is MoodCategoryChoice else "factor_id"


def _check_name(name: str, others: list, errors: dict) -> str:
    name = " ".join(name.split())
    if not name or len(name) > NAME_MAX:
        errors["name"] = f"Give it a name of 1 to {NAME_MAX} characters."
    elif any(other.name.casefold() == name.casefold() for other in others):
        errors["name"] = f"You have a {name} already (perhaps hidden): rename that one, or choose another name."
    return name


def _check_valence(text: str, allowed: dict[int, str], errors: dict) -> int:
    text = text.strip()
    valence = parse_int(text.removeprefix("-"), 0, 2)
    if valence is not None and text.startswith("-"):
        valence = -valence
    if valence is None or valence not in allowed:
        errors["valence"] = "Choose how it feels from the list."
        return 0
    return valence


def _check_emoji(text: str, errors: dict) -> str:
    emoji = text.strip()
    if not emoji or len(emoji) > EMOJI_MAX or any(character.isspace() for character in emoji):
        errors["emoji"] = "Give one emoji (or a short symbol, no spaces)."
    return emoji


def _check_values(text: str, errors: dict) -> list[str]:
    values = list(dict.fromkeys(" ".join(value.split()) for value in text.split(",") if value.strip()))
    if not VALUES_MIN <= len(values) <= VALUES_MAX or any(len(value) > VALUE_MAX for value in values):
        errors["allowed_values"] = (
            f"List {VALUES_MIN} to {VALUES_MAX} values, separated by commas, each at most {VALUE_MAX} characters."
        )
    return values


def _check_room(items: list, adding: bool, errors: dict) -> None:
    if adding and len(items) >= ITEMS_MAX:
        errors["name"] = f"Your list holds {ITEMS_MAX} at most: rename or hide one instead."


def _store(user_id: int, row_change, adding: bool = False) -> None:
    """Apply `row_change` to the person's choice rows and commit it with a new `mood_choices_version` (so the
    picker's kept lists are made again); two adds at the same moment would take the same new id: the second
    is refused."""
    try:
        row_change()
        db.session.execute(
            update(Profile)
            .where(Profile.user_id == user_id)
            .values(mood_choices_version=Profile.mood_choices_version + 1)
        )
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        if not adding:
            raise
        raise Conflict("Something was added to your list at the same moment; please try again.") from error


def save(user_id: int, kind: str, item_id: int | None, form: dict) -> Category | Factor:
    """Add a category or factor (`item_id` None) or change one of the person's; ChoiceInvalid lists every problem."""
    items = _listed(user_id, kind)
    errors: dict[str, str] = {}
    others = [item for item in items if item.id != item_id]
    fields: dict = {"name": _check_name(form.get("name", ""), others, errors)}
    fields["valence"] = _check_valence(form.get("valence", ""), VALENCES[kind], errors)
    if kind == "categories":
        fields["emoji"] = _check_emoji(form.get("emoji", ""), errors)
    else:
        fields["allowed_values"] = _check_values(form.get("allowed_values", ""), errors)
    _check_room(items, item_id is None, errors)
    if errors:
        raise ChoiceInvalid(errors)
    saved_id = item_id if item_id is not None else max([OWN_ID_START - 1] + [item.id for item in items]) + 1

    def change() -> None:
        row = _choice(CHOICE_MODELS[kind], user_id, saved_id)
        for name, value in fields.items():
            setattr(row, name, value)
        if saved_id >= OWN_ID_START and row.position is None:
            row.position = len(items)

    _store(user_id, change, adding=item_id is None)
    saved = item_of(user_id, kind, saved_id)
    assert saved is not None  # just stored, in the person's own list
    return saved


CHOICE_MODELS = {"categories": MoodCategoryChoice, "factors": MoodFactorChoice}


def _listed(user_id: int, kind: str) -> list[Category] | list[Factor]:
    """The person's categories or factors (`kind` "categories" or "factors"), hidden ones too."""
    return categories_of(user_id, include_hidden=True) if kind == "categories" else factors_of(user_id, True)


def item_of(user_id: int, kind: str, item_id: int) -> Category | Factor | None:
    """The person's category or factor, hidden or not; None if it is not theirs."""
    return next((item for item in _listed(user_id, kind) if item.id == item_id), None)


def move(user_id: int, kind: str, item_id: int, steps: int) -> bool:
    """Move the person's category or factor `steps` places (-1 up, +1 down); False if it is not theirs."""
    model = CHOICE_MODELS[kind]
    ids = [item.id for item in _listed(user_id, kind)]
    if item_id not in ids:
        return False
    index = ids.index(item_id)
    target = min(len(ids) - 1, max(0, index + steps))
    ids.insert(target, ids.pop(index))

    def place() -> None:
        for position, each in enumerate(ids):
            _choice(model, user_id, each).position = position

    _store(user_id, place)
    return True


def set_hidden(user_id: int, kind: str, item_id: int, hidden: bool) -> bool:
    """Hide (or show again) the person's category or factor; False if it is not theirs."""
    if item_of(user_id, kind, item_id) is None:
        return False

    def hide() -> None:
        _choice(CHOICE_MODELS[kind], user_id, item_id).hidden = hidden

    _store(user_id, hide)
    return True
