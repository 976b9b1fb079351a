"""The person's tags as the journal uses them: listed, checked, created inline."""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from mindnotes.extensions import db
from mindnotes.models import Tag

TAG_NAME_MAX = 40


class TagInvalid(ValueError):
    pass


def tags_for(user_id: int) -> list[Tag]:
    return list(db.session.scalars(select(Tag).where(Tag.user_id == user_id).order_by(Tag.name)))


def tag_names(user_id: int) -> dict[int, str]:
    return {tag.id: tag.name for tag in tags_for(user_id)}


def owned_tag_ids(user_id: int, tag_ids: list[int]) -> set[int]:
    """The ids among `tag_ids` that are the person's own tags."""
    if not tag_ids:
        return set()
    return set(db.session.scalars(select(Tag.id).where(Tag.user_id == user_id, Tag.id.in_(tag_ids))))


def find_or_create_tag(user_id: int, name: str) -> Tag:
    """The person's tag called `name` (case-insensitively), made if new."""
    name = " ".join(name.split())
    if not name:
        raise TagInvalid("Give the new tag a name.")
    if len(name) > TAG_NAME_MAX:
        raise TagInvalid(f"A tag name is at most {TAG_NAME_MAX} characters.")
    for tag in tags_for(user_id):
        if tag.name.casefold() == name.casefold():
            return tag
    tag = Tag(user_id=user_id, name=name)
    db.session.add(tag)
    try:
        db.session.commit()
    except IntegrityError:
        # The same name made at the same moment elsewhere: use that one.
        db.session.rollback()
        return db.session.scalar(select(Tag).where(Tag.user_id == user_id, Tag.name == name))
    return tag
