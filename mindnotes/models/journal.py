"""Journal rows in PostgreSQL: a person's tags (the entries themselves are MongoDB documents)."""

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from mindnotes.extensions import db


class Tag(db.Model):
    __tablename__ = "tags"
    # Ids never reused (SQLite AUTOINCREMENT): entries keep tag ids in MongoDB.
    __table_args__ = (UniqueConstraint("user_id", "name"), {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(40))
    colour: Mapped[str] = mapped_column(String(7), default="#6c757d")
