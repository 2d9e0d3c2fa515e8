"""How SQLAlchemy, Flask-SQLAlchemy and WTForms names are linked, and what is the project's own."""

from __future__ import annotations

from pathlib import Path

from fwlint.link.index import ProjectIndex

from .conftest import index_of, scan_source

EXTENSIONS = """\
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import declarative_base


class BaseModel:
    @classmethod
    def get_or_404(cls, pk):
        return cls.query.get_or_404(pk)


db = SQLAlchemy(model_class=declarative_base(cls=BaseModel))
"""

MODELS = """\
from flask_login import UserMixin

from .ext import db


class SoftDelete:
    deleted_at = db.Column(db.DateTime)


class User(UserMixin, SoftDelete, db.Model):
    id = db.Column(db.Integer, primary_key=True)
    posts = db.relationship("Post", backref="author")


class Post(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    author_id = db.Column(db.Integer, db.ForeignKey("user.id"))


def uses():
    User.query.filter_by(id=1)
    User.deleted_at.is_(None)
    Post.author.has()
    Post.get_or_404(1)
    db.session.add(Post())
    db.registry_of_models.Post
"""


def _index() -> ProjectIndex:
    return index_of({"app/__init__.py": "", "app/ext.py": EXTENSIONS, "app/models.py": MODELS})


def _canonical(index: ProjectIndex, written: str) -> str | None:
    return index.canonical(f"app.models.{written}")


def test_db_reexports_become_plain_sqlalchemy_names() -> None:
    index = _index()
    assert _canonical(index, "db.Column") == "sqlalchemy.Column"
    assert _canonical(index, "db.relationship") == "sqlalchemy.orm.relationship"
    assert _canonical(index, "db.func.count") == "sqlalchemy.func.count"
    assert _canonical(index, "db.session.add") == "flask_sqlalchemy.SQLAlchemy.session.add"


def test_query_comes_from_the_model_base_not_from_a_mixin_listed_first() -> None:
    assert _canonical(_index(), "User.query.filter_by") == "flask_sqlalchemy.SQLAlchemy.Model.query.filter_by"


def test_what_the_project_defines_on_its_models_is_not_framework_api() -> None:
    index = _index()
    assert _canonical(index, "User.deleted_at.is_") is None  # a mixin column
    assert _canonical(index, "Post.author.has") is None  # a backref another model adds
    assert _canonical(index, "Post.get_or_404") is None  # the project's model_class method
    assert _canonical(index, "db.registry_of_models.Post") is None  # set on db by the project


def test_a_type_hint_on_a_class_does_not_hide_the_framework_attribute() -> None:
    index = index_of(
        {
            "core.py": (
                "from flask_sqlalchemy import SQLAlchemy\n\n\n"
                "class AppSQLAlchemy(SQLAlchemy):\n    Model: type\n\n\n"
                "db = AppSQLAlchemy()\n"
            )
        }
    )
    assert index.canonical("core.db.Model") == "flask_sqlalchemy.SQLAlchemy.Model"


def test_models_and_forms_declared_through_project_bases_get_their_own_finding(tmp_path: Path) -> None:
    report = scan_source(
        tmp_path,
        {
            "app.py": (
                "from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\nfrom flask_wtf import FlaskForm\n"
                "from wtforms import StringField\n\n"
                "app = Flask(__name__)\ndb = SQLAlchemy(app)\n\n\n"
                "class Record(db.Model):\n    __abstract__ = True\n"
                "    id = db.Column(db.Integer, primary_key=True)\n\n\n"
                "class Note(Record):\n    body = db.Column(db.Text, nullable=False)\n\n\n"
                "class BaseForm(FlaskForm):\n    pass\n\n\n"
                "class NoteForm(BaseForm):\n    body = StringField('Body')\n"
            )
        },
    )
    models = {(f.line, f.rule) for f in report.findings if f.rule in ("FD601", "FD701")}
    expected = {(10, "FD601"), (15, "FD601"), (19, "FD701"), (23, "FD701")}
    assert expected <= models
    note = next(f for f in report.findings if f.rule == "FD601" and f.line == 15)
    assert "class Note(Record):" in note.suggestion and "body = models.TextField()" in note.suggestion


def test_current_user_attributes_keep_their_attribute(tmp_path: Path) -> None:
    report = scan_source(
        tmp_path,
        {
            "app.py": (
                "from flask import Flask\nfrom flask_login import current_user\n\napp = Flask(__name__)\n\n\n"
                "@app.route('/')\ndef index():\n    return current_user.email\n"
            )
        },
    )
    found = [f.suggestion for f in report.findings if f.source_api == "flask_login.current_user.email"]
    assert found == ["request.user.email"]


def test_a_nested_class_is_the_project_classes_own_member() -> None:
    index = index_of(
        {
            "app/models.py": "from django.db import models\n"
            "class Book(models.Model):\n"
            "    class Format(models.TextChoices):\n"
            '        PAPERBACK = "pb"\n'
            "    title = models.CharField(max_length=10)\n"
        }
    )
    assert index.canonical("app.models.Book.Format.PAPERBACK") is None
    assert index.canonical("app.models.Book.objects.filter") == "django.db.models.Manager.filter"
