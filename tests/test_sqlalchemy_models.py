"""Model discovery: every declaration style becomes the same OrmSchema."""

from __future__ import annotations

from fwlint.facts import CallValue
from fwlint.link.orm_types import ModelSpec, OrmSchema
from fwlint.link.sqlalchemy_models import annotation_target, discover_models, mapped_inner, snake_case_table

from .conftest import index_of

EXTENSIONS = """\
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()
"""

MIXINS = """\
from datetime import datetime

from ..extensions import db


def utcnow():
    return datetime.utcnow()


class TimestampMixin:
    created_at = db.Column(db.DateTime, default=utcnow, nullable=False)
    updated_at = db.Column(db.DateTime, default=utcnow, onupdate=utcnow)
"""

PEOPLE = """\
import enum

from sqlalchemy import Enum, ForeignKey, UniqueConstraint
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from ..extensions import db
from .mixins import TimestampMixin

memberships = db.Table(
    "memberships",
    db.Column("person_id", db.Integer, db.ForeignKey("people.id"), primary_key=True),
    db.Column("team_id", db.Integer, db.ForeignKey("team.id"), primary_key=True),
)


class Role(enum.Enum):
    ADMIN = "admin"
    STAFF = "staff"


class Person(TimestampMixin, db.Model):
    __tablename__ = "people"
    __table_args__ = (UniqueConstraint("first", "last", name="uq_people_name"),)

    id = db.Column(db.Integer, primary_key=True)
    first = db.Column("first_name", db.String(80), nullable=False)
    last = db.Column(db.String(80), nullable=False)
    role = db.Column(Enum(Role), default=Role.STAFF)
    teams = relationship("Team", secondary=memberships, back_populates="members")

    @hybrid_property
    def full_name(self):
        return self.first + " " + self.last


class TeamBase(db.Model):
    __abstract__ = True

    name: Mapped[str] = mapped_column(db.String(120), unique=True)


class Team(TeamBase):
    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int | None] = mapped_column(ForeignKey(Person.id, ondelete="SET NULL"))
    notes: Mapped[str | None]
    lead: Mapped["Person"] = relationship(foreign_keys=[lead_id])
    members: Mapped[list["Person"]] = relationship(secondary="memberships", back_populates="teams")
    size = column_property(db.select(db.func.count()).scalar_subquery())
"""

LEGACY = """\
from sqlalchemy import JSON, Column, Integer, String
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import declarative_base, deferred

Base = declarative_base()


class Event(Base):
    __tablename__ = "events"

    id = Column(Integer, primary_key=True)
    payload = Column(JSON().with_variant(JSONB, "postgresql"))
    tags = Column(ARRAY(String(20)))
    body = deferred(Column(String))
"""

MODERN = """\
from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Ticket(Base):
    __tablename__ = "tickets"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))


class UrgentTicket(Ticket):
    level: Mapped[int] = mapped_column(default=1)
"""


def _schema() -> OrmSchema:
    index = index_of(
        {
            "app/__init__.py": "",
            "app/extensions.py": EXTENSIONS,
            "app/models/__init__.py": "",
            "app/models/mixins.py": MIXINS,
            "app/models/people.py": PEOPLE,
            "app/legacy.py": LEGACY,
            "app/modern.py": MODERN,
        }
    )
    schema, _ = discover_models(index)
    return schema


def _model(schema: OrmSchema, name: str) -> ModelSpec:
    model = schema.model_named(name)
    assert model is not None, [m.name for m in schema.models]
    return model


def test_every_style_is_found_and_bases_are_not_models() -> None:
    schema = _schema()
    assert sorted(m.name for m in schema.models) == ["Event", "Person", "Team", "TeamBase", "Ticket", "UrgentTicket"]
    assert _model(schema, "TeamBase").abstract


def test_columns_from_a_mixin_in_another_module_come_first_and_say_where_from() -> None:
    person = _model(_schema(), "Person")
    assert [c.name for c in person.columns] == ["created_at", "updated_at", "id", "first", "last", "role"]
    assert person.columns[0].inherited_from == "TimestampMixin"
    assert person.columns[0].file == "app/models/mixins.py"
    assert person.bases == ["TimestampMixin"]


def test_column_types_arguments_and_explicit_column_names() -> None:
    person = _model(_schema(), "Person")
    first = next(c for c in person.columns if c.name == "first")
    assert first.db_column == "first_name"
    assert first.type is not None and (first.type.name, first.type.args) == ("String", (80,))
    assert first.kwargs == {"nullable": False}
    assert person.table_name == "people"


def test_enum_members_come_from_the_project_enum_class() -> None:
    role = next(c for c in _model(_schema(), "Person").columns if c.name == "role")
    assert role.type is not None
    assert role.type.name == "Enum"
    assert role.type.enum_class == "Role"
    assert role.type.enum_members == {"ADMIN": "admin", "STAFF": "staff"}


def test_mapped_annotations_with_and_without_mapped_column() -> None:
    team = _model(_schema(), "Team")
    by_name = {c.name: c for c in team.columns}
    assert list(by_name) == ["name", "id", "lead_id", "notes"]
    assert by_name["name"].inherited_from == "TeamBase"
    assert by_name["notes"].annotation == "str | None" and by_name["notes"].type is None
    assert by_name["lead_id"].annotation == "int | None"


def test_foreign_keys_by_string_and_by_column_resolve_to_models() -> None:
    schema = _schema()
    lead_id = next(c for c in _model(schema, "Team").columns if c.name == "lead_id")
    assert lead_id.foreign_key is not None
    assert (lead_id.foreign_key.target, lead_id.foreign_key.ondelete) == ("people.id", "SET NULL")
    assert lead_id.foreign_key.model == "Person"
    table = schema.tables[0]
    assert [c.foreign_key.model for c in table.columns if c.foreign_key] == ["Person", "Team"]


def test_relationships_targets_and_association_tables() -> None:
    schema = _schema()
    teams = _model(schema, "Person").relationships[0]
    assert (teams.name, teams.target) == ("teams", "Team")
    assert teams.secondary is not None and teams.secondary.table_name == "memberships"
    members = next(r for r in _model(schema, "Team").relationships if r.name == "members")
    assert members.target == "Person"  # from Mapped[list["Person"]]
    assert members.secondary is not None and members.secondary.variable == "memberships"


def test_table_args_hybrids_and_column_properties() -> None:
    schema = _schema()
    person = _model(schema, "Person")
    constraint = person.table_args[0]
    assert isinstance(constraint, CallValue) and constraint.callee == "sqlalchemy.UniqueConstraint"
    assert person.hybrid_properties == ["full_name"]
    assert "size" in _model(schema, "Team").column_properties


def test_plain_declarative_base_variants_and_deferred_columns() -> None:
    event = _model(_schema(), "Event")
    types = {c.name: c.type.name if c.type else None for c in event.columns}
    assert types == {"id": "Integer", "payload": "JSON", "tags": "postgresql.ARRAY", "body": "String"}
    tags = next(c for c in event.columns if c.name == "tags")
    assert tags.type is not None and isinstance(tags.type.args[0], CallValue)
    assert tags.type.args[0].callee == "String"


def test_derived_and_inherited_table_names() -> None:
    schema = _schema()
    assert _model(schema, "Team").table_name == "team"
    # Single-table inheritance: the subclass lives in its parent's table.
    assert _model(schema, "UrgentTicket").table_name == "tickets"
    assert [c.name for c in _model(schema, "UrgentTicket").columns] == ["id", "title", "level"]


def test_helpers() -> None:
    assert snake_case_table("OrderItem") == "order_item"
    assert snake_case_table("HTTPLog") == "http_log"
    assert mapped_inner("Mapped[Optional[str]]") == "Optional[str]"
    assert mapped_inner("int") is None
    assert annotation_target('Mapped[list["Order"]]') == "Order"
    assert annotation_target("Mapped[Optional[models.User]]") == "User"


def test_a_type_decorator_is_translated_as_its_impl_type() -> None:
    index = index_of(
        {
            "app/__init__.py": "",
            "app/types.py": (
                "from sqlalchemy import types\n\n\n"
                "class UTCDateTime(types.TypeDecorator):\n    impl = types.DateTime\n    cache_ok = True\n"
            ),
            "app/models.py": (
                "from flask_sqlalchemy import SQLAlchemy\n\nfrom .types import UTCDateTime\n\ndb = SQLAlchemy()\n\n\n"
                "class Post(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n"
                "    created = db.Column(UTCDateTime(timezone=True), nullable=False)\n"
            ),
        }
    )
    schema, _ = discover_models(index)
    created = next(c for c in _model(schema, "Post").columns if c.name == "created")
    assert created.type is not None
    assert (created.type.name, created.type.decorator) == ("DateTime", "UTCDateTime")
    from fwlint.translate.django_models import django_field

    translated = django_field(created, _model(schema, "Post"), schema)
    assert translated is not None and translated.code == "created = models.DateTimeField()"
    assert not translated.exact and any("TypeDecorator over DateTime" in note for note in translated.notes)
