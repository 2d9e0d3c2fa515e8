"""Django's reverse()/redirect() written as Flask's url_for()/redirect(): before → after."""

from __future__ import annotations

import flask
import pytest

from fwlint.facts import Call
from fwlint.translate.url_for import Endpoint, redirect, reverse

from .conftest import index_of

ENDPOINTS = {
    "catalog:book-detail": Endpoint("catalog.book-detail", ("pk",)),
    "catalog:archive": Endpoint("catalog.archive", ("year", "month")),
    "home": Endpoint("home"),
}


def call_in(source: str) -> Call:
    """The last call of a small module (its outermost call)."""
    facts = index_of(
        {"views.py": "from django.urls import reverse, reverse_lazy\nfrom django.shortcuts import redirect\n" + source}
    ).files[0]
    outer = [c for c in facts.calls if c.callee.rsplit(".", 1)[-1] in ("reverse", "reverse_lazy", "redirect")]
    return outer[0]


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ('reverse("home")', 'url_for("home")'),
        ('reverse("catalog:book-detail", kwargs={"pk": book.pk})', 'url_for("catalog.book-detail", pk=book.pk)'),
        # url_for takes keywords only: positional values get the route's variable names.
        ('reverse("catalog:archive", args=[2024, 5])', 'url_for("catalog.archive", year=2024, month=5)'),
        ('reverse("catalog:archive", args=(year, month))', 'url_for("catalog.archive", year=year, month=month)'),
        (
            'reverse("catalog:archive", args=values)',
            "url_for(\"catalog.archive\", **dict(zip(['year', 'month'], values)))",
        ),
        ('reverse("catalog:book-detail", kwargs=params)', 'url_for("catalog.book-detail", **params)'),
        # A name the project does not route keeps its namespaces, as dots.
        ('reverse("admin:index")', 'url_for("admin.index")'),
        ('reverse_lazy("home")', 'url_for("home")'),
        (
            'reverse("catalog:book-detail", kwargs={"pk": 1}, query={"page": 2}, fragment="top")',
            'url_for("catalog.book-detail", pk=1, page=2, _anchor="top")',
        ),
    ],
)
def test_reverse(before: str, after: str) -> None:
    assert reverse(call_in(before), ENDPOINTS) == after


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ('redirect("home")', 'redirect(url_for("home"))'),
        ('redirect("catalog:book-detail", pk=book.pk)', 'redirect(url_for("catalog.book-detail", pk=book.pk))'),
        ('redirect("catalog:archive", 2024, 5)', 'redirect(url_for("catalog.archive", year=2024, month=5))'),
        ('redirect("/accounts/login/")', 'redirect("/accounts/login/")'),
        ('redirect("https://example.com/")', 'redirect("https://example.com/")'),
        ('redirect("home", permanent=True)', 'redirect(url_for("home"), 301)'),
        # A model instance: Django calls its get_absolute_url().
        ("redirect(book)", "redirect(book.get_absolute_url())"),
        ("redirect(next_url)", "redirect(next_url)"),
        (
            'redirect(reverse("catalog:book-detail", args=[book.pk]))',
            'redirect(url_for("catalog.book-detail", pk=book.pk))',
        ),
    ],
)
def test_redirect(before: str, after: str) -> None:
    assert redirect(call_in(before), ENDPOINTS) == after


def test_generated_url_for_builds_the_url_in_flask() -> None:
    """The code above is real Flask: a blueprint route with a dashed endpoint builds with it."""
    app = flask.Flask(__name__)
    catalog = flask.Blueprint("catalog", __name__)
    catalog.add_url_rule("/archive/<int:year>/<int:month>/", "archive", lambda year, month: "")
    catalog.add_url_rule("/books/<int:pk>/", "book-detail", lambda pk: "")
    app.register_blueprint(catalog, url_prefix="/catalog")
    code = reverse(call_in('reverse("catalog:archive", args=[2024, 5])'), ENDPOINTS)
    assert code is not None
    with app.test_request_context():
        assert eval(code, {"url_for": flask.url_for}) == "/catalog/archive/2024/5/"
        assert flask.url_for("catalog.book-detail", pk=3, page=2) == "/catalog/books/3/?page=2"
