"""The person's tags as the journal uses them: listed, checked, created inline."""

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from mindnotes.extensions import db
from mindnotes.models import Tag
from mindnotes.services.journal.errors import TagInvalid

TAG_NAME_MAX = 40


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


def find_or_create_tag(user_id: int, name: str) -> Tag:
    """The person's tag called `name` (case-insensitively), made if new."""
    name = clean_tag_name(name)
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


def with_new_tag(user_id: int, tag_ids: list[int], new_tag: str | None) -> list[int]:
    """`tag_ids` and the tag typed as `new_tag` (found or made); unchanged when none was typed."""
    if not (new_tag or "").strip():
        return tag_ids
    return sorted({*tag_ids, find_or_create_tag(user_id, new_tag).id})
