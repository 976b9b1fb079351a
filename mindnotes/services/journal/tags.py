"""The person's tags as the journal uses them: listed, checked, created inline (several at once).

A new tag takes the next colour of a calm palette, so tags are told apart at a
glance; the colour is always shown beside the tag's name, never instead of it.
"""

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from mindnotes.extensions import db
from mindnotes.models import Tag
from mindnotes.services.journal.errors import TagInvalid

TAG_NAME_MAX = 40
NEW_TAGS_MAX = 10
# Mid-tone colours that read on light and dark backgrounds (as a dot or a border beside the name).
PALETTE = ("#3b7ea1", "#5a8f3c", "#b5651d", "#8e5ba8", "#c0392b", "#2a9d8f", "#b58900", "#6c757d")


def tags_for(user_id: int) -> list[Tag]:
    return list(db.session.scalars(select(Tag).where(Tag.user_id == user_id).order_by(Tag.name)))


def tag_names(user_id: int, tag_ids: Iterable[int] | None = None) -> dict[int, str]:
    """The person's tag names by id, in name order; only those among `tag_ids` when given."""
    query = select(Tag.id, Tag.name).where(Tag.user_id == user_id).order_by(Tag.name)
    if tag_ids is not None:
        tag_ids = list(tag_ids)
        if not tag_ids:
            return {}
        query = query.where(Tag.id.in_(tag_ids))
    return dict(db.session.execute(query).all())


def tags_by_id(user_id: int) -> dict[int, Tag]:
    """The person's tags by id (name and colour), in name order."""
    return {tag.id: tag for tag in tags_for(user_id)}


def owned_tag_ids(user_id: int, tag_ids: list[int]) -> set[int]:
    """The ids among `tag_ids` that are the person's own tags."""
    if not tag_ids:
        return set()
    return set(db.session.scalars(select(Tag.id).where(Tag.user_id == user_id, Tag.id.in_(tag_ids))))


def clean_tag_name(name: str) -> str:
    """`name` as a tag is called (inner spaces folded); TagInvalid when it cannot be one."""
    name = " ".join(name.split())
    if not name:
        raise TagInvalid("Give the new tag a name.")
    if len(name) > TAG_NAME_MAX:
        raise TagInvalid(f"A tag name is at most {TAG_NAME_MAX} characters.")
    return name


def clean_tag_names(typed: str) -> list[str]:
    """The tag names typed in one field, separated by commas: cleaned, each once; TagInvalid names the first problem."""
    names: dict[str, str] = {}
    for part in (typed or "").split(","):
        if part.strip():
            name = clean_tag_name(part)
            names.setdefault(name.casefold(), name)
    if len(names) > NEW_TAGS_MAX:
        raise TagInvalid(f"Add at most {NEW_TAGS_MAX} tags at once.")
    return list(names.values())


def find_or_create_tag(user_id: int, name: str) -> Tag:
    """The person's tag called `name` (case-insensitively), made if new with the palette's next colour."""
    name = clean_tag_name(name)
    existing = tags_for(user_id)
    for tag in existing:
        if tag.name.casefold() == name.casefold():
            return tag
    tag = Tag(user_id=user_id, name=name, colour=PALETTE[len(existing) % len(PALETTE)])
    db.session.add(tag)
    try:
        db.session.commit()
    except IntegrityError:
        # The same name made at the same moment elsewhere: use that one.
        db.session.rollback()
        return db.session.scalar(select(Tag).where(Tag.user_id == user_id, Tag.name == name))
    return tag


def with_new_tag(user_id: int, tag_ids: list[int], new_tag: str | None) -> list[int]:
    """`tag_ids` and the tags typed as `new_tag`, comma separated (found or made); unchanged when none was typed."""
    names = clean_tag_names(new_tag or "")
    if not names:
        return tag_ids
    return sorted({*tag_ids, *(find_or_create_tag(user_id, name).id for name in names)})
