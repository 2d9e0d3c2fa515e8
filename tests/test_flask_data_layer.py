"""The Flask data layer of a Django project (``fwlint.translate.flask_data_layer``): its forms take their
ModelForm fields from the model discovery, so every form of the Django fixture has the fields Django
gives it (``fixtures/django_library/expected_inventory.json``, proven against Django by
test_fixture_django_library)."""

from __future__ import annotations

import json
from typing import Any

import libcst
import pytest

from fwlint.link.django_forms import DjangoForm, DjangoFormField
from fwlint.link.django_settings import read_settings
from fwlint.translate.flask_data_layer import FlaskDataLayer, build_flask_data_layer
from tests.conftest import FIXTURES, index_of

LIBRARY = FIXTURES / "django_library"
INVENTORY: dict[str, Any] = json.loads((LIBRARY / "expected_inventory.json").read_text())
FORMS: list[dict[str, Any]] = INVENTORY["forms"]
FORMSETS: list[dict[str, Any]] = INVENTORY["formsets"]


@pytest.fixture(scope="module")
def library() -> FlaskDataLayer:
    files = {path.relative_to(LIBRARY).as_posix(): path.read_text(encoding="utf-8") for path in LIBRARY.rglob("*.py")}
    index = index_of(files)
    return build_flask_data_layer(index, read_settings(index))


def _facts(form: DjangoForm, spec: DjangoFormField) -> dict[str, Any]:
    """A field as expected_inventory.json describes it, from what fwlint knows (widget: only when written)."""
    required = spec.kwargs.get("required", True)
    if spec.framework_form is not None:
        declared_in: str | None = spec.framework_form
    elif spec.origin == "declared":
        declared_in = spec.inherited_from or form.name  # short names: a project base form is named as written
    else:
        declared_in = None
    return {
        "name": spec.name,
        "class": spec.field_class,
        "required": required,
        "widget": spec.widget.widget_class if spec.widget is not None else None,
        "declared_in": declared_in,
        "line": spec.span.line if spec.origin == "declared" and spec.framework_form is None else None,
    }


def _expected(field: dict[str, Any], written_widget: bool) -> dict[str, Any]:
    declared_in = field["declared_in"]
    if declared_in is not None and not declared_in.startswith("django."):
        declared_in = declared_in.rsplit(".", 1)[-1]
    return {
        "name": field["name"],
        "class": field["class"],
        "required": field["required"],
        "widget": field["widget"] if written_widget else None,
        "declared_in": declared_in,
        "line": field["line"],
    }


def _compare(form: DjangoForm, expected_fields: list[dict[str, Any]]) -> None:
    assert form.model_fields_known and form.problems == []
    assert [spec.name for spec in form.fields] == [field["name"] for field in expected_fields]
    for spec, field in zip(form.fields, expected_fields, strict=True):
        assert _facts(form, spec) == _expected(field, spec.widget is not None), spec.name


@pytest.mark.parametrize("expected", FORMS, ids=[form["qualname"] for form in FORMS])
def test_every_form_has_djangos_fields(library: FlaskDataLayer, expected: dict[str, Any]) -> None:
    form = next(form for form in library.forms.forms if form.qualname == expected["qualname"])
    assert (form.file, form.span.line) == (expected["file"], expected["line"])
    assert form.kind == ("model_form" if expected["base"] == "ModelForm" else "form")
    model = form.meta.model if form.meta is not None and form.kind == "model_form" else None
    assert model == expected["model"]
    _compare(form, expected["fields"])


@pytest.mark.parametrize("expected", FORMSETS, ids=[formset["qualname"] for formset in FORMSETS])
def test_every_formset_form_has_djangos_fields(library: FlaskDataLayer, expected: dict[str, Any]) -> None:
    formset = next(formset for formset in library.forms.formsets if formset.qualname == expected["qualname"])
    assert (formset.factory, formset.model, formset.parent_model) == (
        expected["factory"],
        expected["model"],
        expected["parent_model"],
    )
    assert formset.form is not None
    if expected["form"] is not None:
        assert formset.form.qualname == expected["form"]
    _compare(formset.form, expected["fields"])


def test_no_other_form_is_found(library: FlaskDataLayer) -> None:
    assert sorted(form.qualname for form in library.forms.forms) == sorted(form["qualname"] for form in FORMS)
    assert sorted(f.qualname for f in library.forms.formsets) == sorted(formset["qualname"] for formset in FORMSETS)


def test_sign_up_form_is_ported_with_djangos_password_checks(library: FlaskDataLayer) -> None:
    sign_up = next(form for form in library.forms.forms if form.name == "SignUpForm")
    translated = library.forms.translation(sign_up)
    by_name = {field.name: field for field in translated.fields}
    assert list(by_name) == ["username", "email", "first_name", "last_name", "card_number", "password1", "password2"]
    assert 'EqualTo("password1", message="The two password fields didn’t match.")' in by_name["password2"].code
    assert any("AUTH_PASSWORD_VALIDATORS" in note for note in by_name["password2"].notes)
    assert "normalize_username" in by_name["username"].code
    assert 'Regexp(r"^[\\w.@+-]+\\Z", message=UNICODE_USERNAME_MESSAGE, matcher=re.search)' in by_name["username"].code
    assert any(note.startswith("BaseUserCreationForm.save() stored password1 hashed") for note in translated.notes)
    # The inventory entry, as the report shows it: Django's fields at the form's class line.
    entry = next(entry for entry in library.form_entries() if entry["name"] == "SignUpForm")
    assert [(f["name"], f["line"], f["inherited_from"]) for f in entry["fields"]][-2:] == [
        ("password1", 55, "BaseUserCreationForm"),
        ("password2", 55, "BaseUserCreationForm"),
    ]


def test_the_forms_module_compiles(library: FlaskDataLayer) -> None:
    module = library.forms.module()
    libcst.parse_module(module)
    compile(module, "<forms>", "exec")
    assert all(len(line) <= 120 for line in module.splitlines())


def test_a_model_form_of_djangos_user_without_project_models() -> None:
    index = index_of(
        {
            "staff/__init__.py": "",
            "staff/forms.py": (
                "from django import forms\n"
                "from django.contrib.auth.models import User\n\n\n"
                "class StaffForm(forms.ModelForm):\n"
                "    class Meta:\n"
                "        model = User\n"
                '        fields = ["username", "email", "is_staff", "groups", "date_joined"]\n'
            ),
        }
    )
    data = build_flask_data_layer(index, read_settings(index))
    assert data.schema.models == []  # no project model: Django's User comes from the model discovery all the same
    (form,) = data.forms.forms
    assert form.problems == []
    assert [(f.name, f.short_class, f.kwargs.get("required")) for f in form.fields] == [
        ("username", "CharField", True),
        ("email", "EmailField", False),
        ("is_staff", "BooleanField", False),
        ("groups", "ModelMultipleChoiceField", False),
        ("date_joined", "DateTimeField", True),
    ]
    assert form.fields[3].related_model == "django.contrib.auth.models.Group"
    code = data.forms.translation(form).code
    assert 'groups = QuerySelectMultipleField(\n        "Groups",' in code
