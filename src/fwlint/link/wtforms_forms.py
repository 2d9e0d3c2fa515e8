"""The project's WTForms / Flask-WTF forms, as :mod:`fwlint.link.form_types` specs.

A form is any project class whose bases reach ``flask_wtf.FlaskForm`` or
``wtforms.Form``, directly, through other project classes (in any module) or
through aliases and re-exports.  Its fields are collected the way WTForms'
``FormMeta`` does (https://wtforms.readthedocs.io/en/stable/forms/): every
public class attribute that is an unbound field, base classes first, a
subclass attribute of the same name replacing (or, when it is not a field,
hiding) the inherited one.  Field and validator classes are described in
https://wtforms.readthedocs.io/en/stable/fields/ and
https://wtforms.readthedocs.io/en/stable/validators/.

Arguments are normalised to what the field's constructor means: WTForms fields
take ``(label, validators, ...)`` positionally (``FieldList`` and ``FormField``
take their entry first), so ``StringField("Name", [DataRequired()])`` and
``StringField(label="Name", validators=[DataRequired()])`` give the same spec,
and further positional arguments become keyword arguments by the constructor's
signature (``DateField("When", [], "%d.%m.%Y")`` → ``format``).

An entry field inside ``FieldList(...)`` or a ``FormField(SubForm)`` stays a
value in ``FieldSpec.args``, rewritten to canonical names: the entry call's
callee is the framework field class (a project field subclass is replaced by
its framework base), its validators' callees are canonical validator names (or
``project:<name>``), and a form class reference is the form's project path.

``translate/django_forms.py`` turns the specs into Django form fields
(https://docs.djangoproject.com/en/5.2/ref/forms/fields/).
"""

from __future__ import annotations

from dataclasses import replace

from fwlint.facts import Call, CallValue, ClassDef, FileFacts, Opaque, Ref, Span, Value
from fwlint.link.form_types import FieldSpec, FormSpec, ValidatorSpec
from fwlint.link.index import ProjectIndex

FORM_BASES = ("flask_wtf.FlaskForm", "wtforms.Form")
FLASK_WTF_FIELDS = frozenset(
    {"flask_wtf.file.FileField", "flask_wtf.file.MultipleFileField", "flask_wtf.recaptcha.RecaptchaField"}
)
# Names a canonical path may still carry: old spellings and lower-case aliases.
LEGACY_NAMES = {
    "wtforms.TextField": "wtforms.StringField",
    "wtforms.validators.Required": "wtforms.validators.DataRequired",
    "wtforms.validators.required": "wtforms.validators.DataRequired",
    "wtforms.validators.data_required": "wtforms.validators.DataRequired",
    "wtforms.validators.input_required": "wtforms.validators.InputRequired",
    "wtforms.validators.optional": "wtforms.validators.Optional",
    "wtforms.validators.email": "wtforms.validators.Email",
    "wtforms.validators.equal_to": "wtforms.validators.EqualTo",
    "wtforms.validators.ip_address": "wtforms.validators.IPAddress",
    "wtforms.validators.mac_address": "wtforms.validators.MacAddress",
    "wtforms.validators.length": "wtforms.validators.Length",
    "wtforms.validators.number_range": "wtforms.validators.NumberRange",
    "wtforms.validators.date_range": "wtforms.validators.DateRange",
    "wtforms.validators.regexp": "wtforms.validators.Regexp",
    "wtforms.validators.url": "wtforms.validators.URL",
    "wtforms.validators.any_of": "wtforms.validators.AnyOf",
    "wtforms.validators.none_of": "wtforms.validators.NoneOf",
    "wtforms.validators.readonly": "wtforms.validators.ReadOnly",
    "wtforms.validators.disabled": "wtforms.validators.Disabled",
    "flask_wtf.file.file_required": "flask_wtf.file.FileRequired",
    "flask_wtf.file.file_allowed": "flask_wtf.file.FileAllowed",
    "flask_wtf.file.file_size": "flask_wtf.file.FileSize",
}
# Parameters after ``(label, validators)`` by field class (wtforms 3.3 signatures);
# FieldList and FormField list theirs after the entry argument.
_COMMON = ("filters", "description", "id", "default", "invalid_value_message", "widget", "render_kw", "name")
_DATES = ("format", "invalid_value_message")
_CHOICES = ("coerce", "choices", "validate_choice", "invalid_value_message", "invalid_choice_message")
_NUMBERS = ("invalid_value_message",)
POSITIONAL_AFTER_VALIDATORS: dict[str, tuple[str, ...]] = {
    "BooleanField": ("false_values",),
    "SubmitField": ("false_values",),
    "DateField": _DATES,
    "DateTimeField": _DATES,
    "DateTimeLocalField": _DATES,
    "TimeField": _DATES,
    "WeekField": _DATES,
    "MonthField": ("format",),
    "DecimalField": ("places", "rounding", "invalid_value_message"),
    "DecimalRangeField": ("places", "rounding", "invalid_value_message"),
    "IntegerField": _NUMBERS,
    "IntegerRangeField": _NUMBERS,
    "FloatField": _NUMBERS,
    "SelectField": _CHOICES,
    "SelectMultipleField": _CHOICES,
    "RadioField": (),
    "FieldList": ("min_entries", "max_entries", "separator", "default"),
    "FormField": ("separator",),
    "RecaptchaField": ("nonce",),
    "QuerySelectField": ("query_factory", "get_pk", "get_label", "allow_blank", "blank_text"),
    "QuerySelectMultipleField": ("default",),
    "QueryRadioField": ("query_factory", "get_pk", "get_label", "allow_blank", "blank_text"),
    "QueryCheckboxField": ("default",),
}
ENTRY_FIRST = frozenset({"FieldList", "FormField"})


def is_field_class(name: str) -> bool:
    """Whether a canonical name is a WTForms / Flask-WTF / WTForms-SQLAlchemy field class."""
    if name in FLASK_WTF_FIELDS:
        return True
    parts = name.split(".")
    if parts[0] == "wtforms" and len(parts) == 2:
        return parts[1].endswith("Field") or parts[1] == "FieldList"
    return name.startswith("wtforms_sqlalchemy.fields.") and name.endswith("Field")


def _short(name: str) -> str:
    return name.rsplit(".", 1)[-1]


class _Discovery:
    """One pass over the index; every per-class answer is memoised, so the pass is linear."""

    def __init__(self, index: ProjectIndex) -> None:
        self.index = index
        self._form_base: dict[str, str | None] = {}
        self._field_base: dict[str, str | None] = {}
        self._mro: dict[str, list[str]] = {}
        self._own_fields: dict[str, list[FieldSpec]] = {}
        self._by_name: dict[tuple[str, bool], dict[str, FieldSpec]] = {}
        self._scopes: dict[str, dict[str, list[Call]]] = {}

    # ---------------------------------------------------------------- names
    def canonical(self, path: str) -> str | None:
        """``index.canonical`` plus the packages the index does not treat as framework roots."""
        name = self.index.canonical(path)
        if name is None:
            resolved = self.index.resolve_project(path)
            if resolved.startswith("wtforms.ext.sqlalchemy.fields."):
                name = "wtforms_sqlalchemy.fields." + resolved.rsplit(".", 1)[-1]
            elif resolved.startswith("wtforms_sqlalchemy."):
                name = resolved if resolved.startswith("wtforms_sqlalchemy.fields.") else None
                if name is None and resolved.endswith("Field"):
                    name = "wtforms_sqlalchemy.fields." + resolved.rsplit(".", 1)[-1]
        if name is None:
            return None
        return LEGACY_NAMES.get(name, name)

    def project_class(self, path: str) -> str | None:
        resolved = self.index.resolve_project(path)
        return resolved if resolved in self.index.classes else None

    def project_bases(self, qualname: str) -> list[str]:
        cls = self.index.classes[qualname][0]
        bases: list[str] = []
        for base in cls.bases:
            resolved = self.project_class(base)
            if resolved is not None and resolved != qualname:
                bases.append(resolved)
        return bases

    def form_base(self, qualname: str) -> str | None:
        """``flask_wtf.FlaskForm`` / ``wtforms.Form`` when the class is a form."""
        if qualname in self._form_base:
            return self._form_base[qualname]
        self._form_base[qualname] = None  # guards against inheritance cycles
        found: str | None = None
        for base in self.index.classes[qualname][0].bases:
            canonical = self.canonical(base)
            if canonical in FORM_BASES:
                found = canonical
            else:
                resolved = self.project_class(base)
                if resolved is not None:
                    found = self.form_base(resolved)
            if found is not None:
                break
        self._form_base[qualname] = found
        return found

    def field_base(self, qualname: str) -> str | None:
        """The framework field class a project field class extends, if any."""
        if qualname in self._field_base:
            return self._field_base[qualname]
        self._field_base[qualname] = None
        found: str | None = None
        for base in self.index.classes[qualname][0].bases:
            canonical = self.canonical(base)
            if canonical is not None and is_field_class(canonical):
                found = canonical
            else:
                resolved = self.project_class(base)
                if resolved is not None:
                    found = self.field_base(resolved)
            if found is not None:
                break
        self._field_base[qualname] = found
        return found

    def field_type(self, callee: str) -> tuple[str, str | None] | None:
        """``(field_type, base)`` for a field constructor's callee, or None when it is no field."""
        canonical = self.canonical(callee)
        if canonical is not None:
            return (canonical, None) if is_field_class(canonical) else None
        resolved = self.project_class(callee)
        if resolved is None:
            return None
        base = self.field_base(resolved)
        return ("project:" + _short(resolved), base) if base is not None else None

    def validator_name(self, path: str) -> str:
        canonical = self.canonical(path)
        if canonical is not None:
            return canonical
        resolved = self.index.resolve_project(path)
        if resolved in self.index.functions or resolved in self.index.classes:
            return "project:" + _short(resolved)
        if resolved in self.index.instances or self.in_project(resolved):
            return "project:" + _short(resolved)
        return resolved

    def in_project(self, path: str) -> bool:
        parts = path.split(".")
        return any(".".join(parts[:i]) in self.index.modules for i in range(len(parts) - 1, 0, -1))

    # ------------------------------------------------------------ validators
    def validator(self, value: Value) -> ValidatorSpec | None:
        if isinstance(value, CallValue):
            return ValidatorSpec(self.validator_name(value.callee), value.args, dict(value.kwargs), value.code)
        if isinstance(value, Ref):
            # A validator configured once at module level: ``name_length = Length(max=50)``.
            instance = self.index.instance_of(value.path)
            if instance is not None and self.canonical(instance.call.callee) is not None:
                call = instance.call
                return ValidatorSpec(self.validator_name(call.callee), call.args, dict(call.kwargs), call.code)
            return ValidatorSpec(self.validator_name(value.path), code=_short(value.path))
        if isinstance(value, Opaque):
            return ValidatorSpec("project:<expression>", code=value.code)
        return None

    def validator_value(self, value: Value) -> Value:
        """A validator written inside an entry field, with its callee made canonical."""
        spec = self.validator(value)
        if spec is None:
            return value
        if isinstance(value, CallValue) or spec.args or spec.kwargs:
            return CallValue(spec.name, spec.args, tuple(spec.kwargs.items()), spec.code)
        return Ref(spec.name)

    def entry_value(self, value: Value) -> Value:
        """``FieldList``'s entry field / ``FormField``'s form class, in canonical names."""
        if isinstance(value, Ref):
            resolved = self.project_class(value.path)
            return Ref(resolved) if resolved is not None else value
        if not isinstance(value, CallValue):
            return value
        kind = self.field_type(value.callee)
        if kind is None:
            return value
        field_type, base = kind
        framework = base if base is not None else field_type
        entry_first = _short(framework) in ENTRY_FIRST
        args = tuple(self.entry_value(arg) if i == 0 and entry_first else arg for i, arg in enumerate(value.args))
        validators_at = 2 if entry_first else 1
        written = args[validators_at] if len(args) > validators_at else None
        if isinstance(written, (list, tuple)):
            converted: list[Value] = [self.validator_value(v) for v in written]
            args = (*args[:validators_at], converted, *args[validators_at + 1 :])
        kwargs = tuple(
            (
                key,
                [self.validator_value(v) for v in val]
                if key == "validators" and isinstance(val, (list, tuple))
                else val,
            )
            for key, val in value.kwargs
        )
        return CallValue(framework, args, kwargs, value.code)

    # ---------------------------------------------------------------- fields
    def field_spec(self, name: str, call: CallValue, kind: tuple[str, str | None], span: Span, file: str) -> FieldSpec:
        field_type, base = kind
        short = _short(base if base is not None else field_type)
        positional = list(call.args)
        kwargs: dict[str, Value] = dict(call.kwargs)
        lead: list[Value] = []
        if short in ENTRY_FIRST and positional:
            lead = [self.entry_value(positional.pop(0))]
        label: Value | None = kwargs.pop("label") if "label" in kwargs else None
        if positional:
            first = positional.pop(0)
            if label is None:
                label = first
        raw_validators: Value | None = kwargs.pop("validators") if "validators" in kwargs else None
        if positional:
            second = positional.pop(0)
            if raw_validators is None:
                raw_validators = second
        extra: list[Value] = []
        for param, value in zip(POSITIONAL_AFTER_VALIDATORS.get(short, _COMMON), positional, strict=False):
            if param in kwargs:
                extra.append(value)
            else:
                kwargs[param] = value
        extra.extend(positional[len(POSITIONAL_AFTER_VALIDATORS.get(short, _COMMON)) :])
        validators: list[ValidatorSpec] = []
        if isinstance(raw_validators, (list, tuple)):
            for item in raw_validators:
                spec = self.validator(item)
                if spec is not None:
                    validators.append(spec)
        elif raw_validators is not None:
            kwargs["validators"] = raw_validators  # a shared list the translation cannot see into
        return FieldSpec(
            name=name,
            span=span,
            file=file,
            field_type=field_type,
            base=base,
            label=label,
            validators=validators,
            kwargs=kwargs,
            args=(*lead, *extra),
        )

    def scope_calls(self, facts: FileFacts, scope: str) -> list[Call]:
        scopes = self._scopes.get(facts.path)
        if scopes is None:
            scopes = {}
            for call in facts.calls:
                scopes.setdefault(call.scope, []).append(call)
            for calls in scopes.values():
                calls.sort(key=lambda c: (c.span.line, c.span.column))
            self._scopes[facts.path] = scopes
        return scopes.get(scope, [])

    def own_fields(self, qualname: str) -> list[FieldSpec]:
        """Fields a class body declares (a ``None`` value hides an inherited field: see ``collect``)."""
        cached = self._own_fields.get(qualname)
        if cached is not None:
            return cached
        cls, facts = self.index.classes[qualname]
        calls = self.spans_of_attributes(cls, facts)
        fields: list[FieldSpec] = []
        for name, value in cls.attributes.items():
            if name.startswith("_") or not isinstance(value, CallValue):
                continue
            kind = self.field_type(value.callee)
            if kind is not None:
                fields.append(self.field_spec(name, value, kind, calls.get(name, cls.span), facts.path))
        self._own_fields[qualname] = fields
        return fields

    def own_fields_by_name(self, qualname: str, inherited: bool) -> dict[str, FieldSpec]:
        """A class's fields by name; as seen from a subclass, marked ``inherited_from``.

        The inherited copies are made once per class and shared by every subclass (specs are
        read-only results), which keeps deep hierarchies linear in their output."""
        key = (qualname, inherited)
        cached = self._by_name.get(key)
        if cached is None:
            fields = self.own_fields(qualname)
            if inherited:
                fields = [replace(f, inherited_from=_short(qualname)) for f in fields]
            cached = self._by_name[key] = {f.name: f for f in fields}
        return cached

    def spans_of_attributes(self, cls: ClassDef, facts: FileFacts) -> dict[str, Span]:
        """The span of each attribute's call, matched in order against the class body's calls.

        Calls nested inside a matched call (validators, an entry field) are skipped, so
        ``FieldList(StringField())`` followed by ``StringField()`` finds the right one.
        Each callee keeps its own cursor: the matching is linear in the body's calls."""
        calls = self.scope_calls(facts, cls.qualname)
        by_callee: dict[str, list[int]] = {}
        for position, call in enumerate(calls):
            by_callee.setdefault(call.callee, []).append(position)
        cursors: dict[str, int] = {}
        consumed_until = (0, 0)  # source position before which calls belong to earlier attributes
        spans: dict[str, Span] = {}
        for name, value in cls.attributes.items():
            if not isinstance(value, CallValue):
                continue
            positions = by_callee.get(value.callee, [])
            cursor = cursors.get(value.callee, 0)
            while cursor < len(positions):
                span = calls[positions[cursor]].span
                if (span.line, span.column) >= consumed_until:
                    break
                cursor += 1
            if cursor < len(positions):
                span = calls[positions[cursor]].span
                spans[name] = span
                consumed_until = (span.end_line, span.end_column)
                cursor += 1
            cursors[value.callee] = cursor
        return spans

    # ------------------------------------------------------------ classes
    def mro(self, qualname: str) -> list[str]:
        """C3 linearisation over project classes (framework bases left out)."""
        cached = self._mro.get(qualname)
        if cached is not None:
            return cached
        self._mro[qualname] = [qualname]  # guards against cycles
        bases = self.project_bases(qualname)
        if len(bases) <= 1:  # single inheritance, the usual case: no merge needed
            result = [qualname, *(self.mro(bases[0]) if bases else [])]
            if len(set(result)) == len(result):
                self._mro[qualname] = result
                return result
            bases = []
        sequences = [list(self.mro(base)) for base in bases] + [list(bases)]
        result = [qualname]
        while True:
            sequences = [seq for seq in sequences if seq]
            if not sequences:
                break
            for seq in sequences:
                head = seq[0]
                if not any(head in other[1:] for other in sequences):
                    break
            else:  # inconsistent hierarchy: Python would refuse it; fall back to depth-first order
                for seq in sequences:
                    result.extend(c for c in seq if c not in result)
                break
            result.append(head)
            for seq in sequences:
                if seq[0] == head:
                    del seq[0]
        self._mro[qualname] = result
        return result

    def collect(self, qualname: str, base: str) -> FormSpec:
        cls, facts = self.index.classes[qualname]
        mro = self.mro(qualname)
        fields: dict[str, FieldSpec] = {}
        meta: dict[str, Value] = {}
        method_names: dict[str, None] = {}
        for owner in reversed(mro):
            owner_cls = self.index.classes[owner][0]
            own = self.own_fields_by_name(owner, inherited=owner != qualname)
            for name in owner_cls.attributes:
                fields.pop(name, None)  # a subclass attribute replaces or hides the inherited field
                if name in own:
                    fields[name] = own[name]
            meta_class = self.index.classes.get(owner + ".Meta")
            if meta_class is not None:
                meta.update(meta_class[0].attributes)
            for method in owner_cls.methods:
                method_names[method] = None
        field_validators: dict[str, str] = {}
        methods: list[str] = []
        for method in method_names:
            target = method.removeprefix("validate_")
            if method.startswith("validate_") and target in fields:
                field_validators[target] = method
            else:
                methods.append(method)
        return FormSpec(
            qualname=qualname,
            name=_short(qualname),
            file=facts.path,
            span=cls.span,
            base=base,
            bases=[_short(owner) for owner in mro[1:]],
            fields=list(fields.values()),
            field_validators=field_validators,
            methods=methods,
            meta=meta,
        )


def discover_forms(index: ProjectIndex) -> list[FormSpec]:
    """Every WTForms / Flask-WTF form class the project defines, in file and source order.

    A field a form inherits is one ``FieldSpec`` shared by every subclass (``inherited_from``
    set, span and file of the defining class): treat the specs as read-only."""
    discovery = _Discovery(index)
    forms: list[FormSpec] = []
    for facts in index.files:
        for cls in facts.classes:
            known = index.classes.get(cls.qualname)
            if known is None or known[0] is not cls:
                continue  # a duplicate definition the index does not keep
            base = discovery.form_base(cls.qualname)
            if base is not None:
                forms.append(discovery.collect(cls.qualname, base))
    return forms
