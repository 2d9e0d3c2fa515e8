"""Prove that ``fixtures/flask_clinic`` is a working Flask app, with the real packages.

The clinic fixture exercises the data layer, forms and auth in the styles real
Flask code uses. This test builds it with a test configuration and checks the
URL map against a hand-written table, that every mapper configures and the
schema creates on SQLite (and matches the Alembic migration), that the main
flows work through the test client (sign-up, sign-in, a list page, the
JWT-protected API, the token-protected partner API), that every form class
instantiates, and that the legacy reporting models configure.
"""

import importlib
import inspect
import io
import sys
import uuid
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

pytest.importorskip("flask")
pytest.importorskip("flask_sqlalchemy")
pytest.importorskip("flask_login")
pytest.importorskip("flask_wtf")
pytest.importorskip("email_validator")
pytest.importorskip("flask_migrate")
pytest.importorskip("flask_jwt_extended")
pytest.importorskip("flask_httpauth")
pytest.importorskip("flask_principal")
pytest.importorskip("wtforms_sqlalchemy")

import sqlalchemy as sa
import wtforms
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.orm import configure_mappers

# The fixture deliberately keeps the legacy spellings real codebases still have.
pytestmark = [
    pytest.mark.filterwarnings("ignore:Passing SelectField choices as tuples:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:Yielding raw tuples:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:'DateTimeField' renders:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:The Query.get\\(\\) method:sqlalchemy.exc.LegacyAPIWarning"),
]

FIXTURE_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "flask_clinic"
ENV_VARS = ("CLINIC_CONFIG", "CLINIC_SETTINGS", "DATABASE_URL", "REPORTING_DATABASE_URL")
PASSWORD = "correct horse battery"

# endpoint -> (rule, methods without HEAD/OPTIONS), checked by hand against the views.
EXPECTED_ROUTES = {
    "index": ("/", {"GET"}),
    "healthz": ("/healthz", {"GET"}),
    "auth.login": ("/auth/login", {"GET", "POST"}),
    "auth.logout": ("/auth/logout", {"POST"}),
    "auth.register": ("/auth/register", {"GET", "POST"}),
    "patients.owner_list": ("/patients/owners/", {"GET"}),
    "patients.owner_create": ("/patients/owners/new", {"GET", "POST"}),
    "patients.owner_detail": ("/patients/owners/<int:owner_id>", {"GET"}),
    "patients.owner_edit": ("/patients/owners/<int:owner_id>/edit", {"GET", "POST"}),
    "patients.owner_archive": ("/patients/owners/<int:owner_id>/archive", {"POST"}),
    "patients.pet_create": ("/patients/owners/<int:owner_id>/pets/new", {"GET", "POST"}),
    "patients.pet_detail": ("/patients/pets/<int:pet_id>", {"GET"}),
    "patients.pet_add_note": ("/patients/pets/<int:pet_id>/notes", {"POST"}),
    "patients.pet_vaccinations": ("/patients/pets/<int:pet_id>/vaccinations", {"GET", "POST"}),
    "patients.lab_request": ("/patients/pets/<int:pet_id>/lab-requests", {"POST"}),
    "patients.lab_report_upload": ("/patients/pets/<int:pet_id>/lab-reports/upload", {"GET", "POST"}),
    "appointments.day_list": ("/appointments/", {"GET"}),
    "appointments.book": ("/appointments/new", {"GET", "POST"}),
    "appointments.set_status": ("/appointments/<int:appointment_id>/status", {"POST"}),
    "appointments.invoice": ("/appointments/<int:appointment_id>/invoice", {"GET", "POST"}),
    "appointments.schedule": ("/appointments/schedule", {"GET", "POST"}),
    "appointments.schedule_delete": ("/appointments/schedule/<int:weekday>/delete", {"POST"}),
    "appointments.sms_status_webhook": ("/appointments/webhooks/sms-status", {"POST"}),
    "admin.dashboard": ("/admin/", {"GET"}),
    "admin.users": ("/admin/users", {"GET"}),
    "admin.user_access": ("/admin/users/<int:user_id>/access", {"POST"}),
    "admin.lab_partners": ("/admin/partners", {"GET", "POST"}),
    "admin.settings": ("/admin/settings", {"GET", "POST"}),
    "admin.purge_owners": ("/admin/owners/purge", {"POST"}),
    "reporting.revenue": ("/reports/revenue", {"GET"}),
    "reporting.revenue_csv": ("/reports/revenue.csv", {"GET"}),
    "api.issue_token": ("/api/v1/token", {"POST"}),
    "api.me": ("/api/v1/me", {"GET"}),
    "api.pet_list": ("/api/v1/pets", {"GET"}),
    "api.pet_detail": ("/api/v1/pets/<int:pet_id>", {"GET"}),
    "api.my_appointments": ("/api/v1/appointments", {"GET"}),
    "api.create_appointment": ("/api/v1/appointments", {"POST"}),
    "partners.pending_requests": ("/partners/api/requests", {"GET"}),
    "partners.result_status": ("/partners/api/results/<uuid:result_id>", {"GET"}),
    "partners.submit_result": ("/partners/api/results/<uuid:result_id>", {"POST"}),
}

EXPECTED_TABLES = {
    "users",
    "staff_schedules",
    "lab_partners",
    "owners",
    "pets",
    "allergy",  # the one table name Flask-SQLAlchemy derives from the class name
    "vaccines",
    "pet_allergies",
    "vaccinations",
    "appointments",
    "invoices",
    "clinical_notes",
    "lab_results",
}

EXPECTED_FORMS = {
    "clinic.forms.base": {"BaseForm"},
    "clinic.forms.auth": {"LoginForm", "RegistrationForm"},
    "clinic.forms.patients": {
        "OwnerSearchForm",
        "OwnerForm",
        "PetForm",
        "VaccinationEntryForm",
        "VaccinationForm",
        "ClinicalNoteForm",
        "LabRequestForm",
        "LabReportUploadForm",
    },
    "clinic.forms.appointments": {"AppointmentForm", "StatusForm", "InvoiceForm", "ScheduleForm"},
    "clinic.forms.admin": {"UserRoleForm", "LabPartnerForm", "ClinicSettingsForm"},
    "clinic.forms.partners": {"ResultSubmissionForm"},
}

# WTForms 3.3 added ButtonField; the fixture targets 3.1+ and leaves it out.
NOT_USED_FIELDS = {"ButtonField"}


def _purge_clinic_modules():
    for name in list(sys.modules):
        if name == "clinic" or name.startswith("clinic."):
            del sys.modules[name]


@pytest.fixture(scope="module")
def clinic():
    """Import the fixture's ``clinic`` package; clean up ``clinic*`` modules afterwards."""
    _purge_clinic_modules()
    with pytest.MonkeyPatch.context() as mp:
        for var in ENV_VARS:
            mp.delenv(var, raising=False)
        mp.syspath_prepend(str(FIXTURE_DIR))
        try:
            yield importlib.import_module("clinic")
        finally:
            _purge_clinic_modules()


@pytest.fixture
def make_app(clinic, tmp_path):
    """A fresh app (its own in-memory databases) with the tables created."""

    def make(**config):
        app = clinic.create_app("testing")
        app.config.update(UPLOAD_FOLDER=str(tmp_path / "uploads"), **config)
        app.instance_path = str(tmp_path / "instance")
        db = importlib.import_module("clinic.extensions").db
        with app.app_context():
            db.create_all()
        return app

    return make


@pytest.fixture
def seeded_app(make_app):
    app = make_app()
    result = app.test_cli_runner().invoke(args=["seed", "--admin-email", "admin@example.com", "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    assert "Seeded 2 patients" in result.output
    return app


def _models():
    return importlib.import_module("clinic.models")


def _db():
    return importlib.import_module("clinic.extensions").db


def _login(client, email, password=PASSWORD):
    return client.post("/auth/login", data={"email": email, "password": password, "remember": "y"})


def test_url_map_matches_hand_checked_routes(clinic):
    app = clinic.create_app("testing")
    actual = {
        rule.endpoint: (rule.rule, set(rule.methods) - {"HEAD", "OPTIONS"})
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
    }
    assert actual == EXPECTED_ROUTES
    assert set(app.blueprints) == {"auth", "patients", "appointments", "admin", "reporting", "api", "partners"}
    for extension in ("sqlalchemy", "migrate", "csrf", "flask-jwt-extended"):
        assert extension in app.extensions


def test_mappers_configure_and_schema_creates_on_sqlite(make_app):
    app = make_app()
    models = _models()
    configure_mappers()
    with app.app_context():
        tables = set(sa.inspect(_db().engine).get_table_names())
    assert tables == EXPECTED_TABLES

    assert models.Allergy.__tablename__ == "allergy"
    assert [c.name for c in sa.inspect(models.StaffSchedule).primary_key] == ["vet_id", "weekday"]
    assert isinstance(sa.inspect(models.LabResult).primary_key[0].type, sa.Uuid)
    assert sa.inspect(models.Owner).relationships["pets"].cascade.delete_orphan
    assert sa.inspect(models.Appointment).relationships["invoice"].uselist is False
    assert "referrals" in sa.inspect(models.Owner).relationships
    assert models.Pet.__table__.c.microchip.comment
    assert "pet_count" in sa.inspect(models.Owner).column_attrs
    vaccinations = models.vaccinations
    assert {"given_on", "batch_no"} <= set(vaccinations.c.keys())
    pet_record = importlib.import_module("clinic.models.clinical").PetRecord
    assert pet_record.__abstract__ and not hasattr(pet_record, "__table__")
    assert issubclass(models.LabResult, pet_record) and issubclass(models.ClinicalNote, pet_record)


def test_migration_matches_the_models(make_app, clinic):
    flask_migrate = pytest.importorskip("flask_migrate")
    app = clinic.create_app("testing")  # empty database: the migration builds it
    db = _db()
    with app.app_context():
        flask_migrate.upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, db.metadata) == []
        flask_migrate.downgrade(revision="base")
        assert set(sa.inspect(db.engine).get_table_names()) == {"alembic_version"}


def test_model_behaviour(make_app):
    app = make_app()
    models, db = _models(), _db()
    with app.app_context():
        with pytest.raises(ValueError):
            models.Owner(first_name="A", last_name="B", phone="1", email="not-an-address")
        owner = models.Owner(first_name="Ann", last_name="Lee", phone="0123 456789", email=" Ann.Lee@Example.COM ")
        assert owner.email == "ann.lee@example.com"
        owner.pets = [models.Pet(name="Rex", species=models.Species.DOG), models.Pet(name="Tib", species="CAT")]
        db.session.add(owner)
        db.session.commit()
        assert all(pet.patient_number.startswith("P") for pet in owner.pets)  # before_insert listener
        assert owner.created_at is not None and owner.updated_at is not None
        db.session.expire(owner)
        assert owner.pet_count == 2  # column_property

        vet = models.User(email="vet@example.com", full_name="Vet", role="vet", password_hash="x")
        appointment = models.Appointment(
            pet=owner.pets[0], vet=vet, starts_at=datetime.now(timezone.utc), reason="Check-up"
        )
        appointment.invoice = models.Invoice(
            number="INV-1", amount=Decimal("10.00"), due_on=date.today() - timedelta(days=1)
        )
        db.session.add(appointment)
        db.session.commit()
        assert appointment.invoice.is_overdue
        overdue = db.session.scalar(sa.select(sa.func.count()).where(models.Invoice.is_overdue))
        assert overdue == 1
        assert vet.login_count == 0 and vet.is_active is True  # server defaults


def test_requests_through_the_test_client(seeded_app):
    app = seeded_app
    models = _models()
    client = app.test_client()

    assert client.get("/patients/owners/").status_code == 302  # login required
    response = client.post(
        "/auth/register",
        data={
            "full_name": "Sam Reyes",
            "email": "Sam.Reyes@example.com",
            "phone": "+44 7700 900456",
            "password": PASSWORD,
            "confirm": PASSWORD,
        },
    )
    assert response.status_code == 302 and response.location.endswith("/auth/login")
    assert client.post("/auth/register", data={"email": "sam.reyes@example.com"}).status_code == 200

    response = _login(client, "sam.reyes@example.com")
    assert response.status_code == 302 and response.location == "/"
    page = client.get("/patients/owners/")
    assert page.status_code == 200
    assert b"Smith, Alice" in page.data and b"Jones, Tom" in page.data
    page = client.get("/patients/owners/?q=smi")
    assert b"Smith, Alice" in page.data and b"Jones, Tom" not in page.data
    assert client.get("/appointments/").status_code == 200

    response = client.post(
        "/patients/owners/new",
        data={"first_name": "Dana", "last_name": "Ng", "phone": "01632 960002", "email": "dana@example.com"},
    )
    assert response.status_code == 302
    with app.app_context():
        dana = models.Owner.query.filter_by(last_name="Ng").one()
        smith = models.Owner.query.filter_by(last_name="Smith").one()
        pet = smith.pets[0]
        owner_id, pet_id = dana.id, pet.id
    assert client.get(f"/patients/owners/{owner_id}").status_code == 200
    assert client.get(f"/patients/pets/{pet_id}").status_code == 200
    assert client.get("/patients/owners/999").status_code == 404

    # A receptionist is neither a Principal "admin" nor passes admin_required.
    assert client.get("/admin/").status_code == 403
    assert client.get("/admin/users").status_code == 403
    assert client.post(f"/patients/pets/{pet_id}/notes", data={"body": "x"}).status_code == 403

    admin = app.test_client()
    assert _login(admin, "admin@example.com").status_code == 302
    assert admin.get("/admin/").status_code == 200
    assert b"Sam Reyes" in admin.get("/admin/users").data
    assert admin.get("/admin/settings").status_code == 200
    assert admin.post(f"/patients/pets/{pet_id}/notes", data={"body": "Bright and alert."}).status_code == 302
    assert b"Bright and alert." in admin.get(f"/patients/pets/{pet_id}").data
    for path in (f"/patients/owners/{owner_id}/edit", f"/patients/owners/{owner_id}/pets/new", "/appointments/new"):
        assert admin.get(path).status_code == 200, path
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    assert b"Annual booster" in admin.get(f"/appointments/?day={tomorrow}").data
    with app.app_context():
        vaccine_id = models.Vaccine.query.filter_by(name="DHPPi").one().id
    doses = {"entries-0-vaccine_id": vaccine_id, "entries-0-given_on": tomorrow, "entries-0-batch_no": "AB12-345"}
    assert admin.post(f"/patients/pets/{pet_id}/vaccinations", data=doses).status_code == 302
    assert b"AB12-345" in admin.get(f"/patients/pets/{pet_id}").data
    assert admin.post("/auth/logout").status_code == 302
    assert admin.get("/admin/").status_code == 302


def test_jwt_api(seeded_app):
    client = seeded_app.test_client()
    assert client.get("/api/v1/me").status_code == 401
    assert client.post("/api/v1/token", json={"email": "admin@example.com", "password": "nope"}).status_code == 401

    response = client.post("/api/v1/token", json={"email": "j.okafor@harbourside.vet", "password": PASSWORD})
    assert response.status_code == 200
    headers = {"Authorization": f"Bearer {response.json['access_token']}"}

    assert client.get("/api/v1/me", headers=headers).json["role"] == "vet"
    pets = client.get("/api/v1/pets", headers=headers).json
    assert pets["total"] == 2 and [pet["name"] for pet in pets["items"]] == ["Biscuit", "Miso"]
    assert client.get("/api/v1/pets?species=cat", headers=headers).json["total"] == 1
    assert client.get("/api/v1/pets?species=dragon", headers=headers).status_code == 400
    biscuit = pets["items"][0]
    assert client.get(f"/api/v1/pets/{biscuit['id']}", headers=headers).json["breed"] == "Beagle"
    upcoming = client.get("/api/v1/appointments", headers=headers).json["items"]
    assert [item["reason"] for item in upcoming] == ["Annual booster"]

    slot = (datetime.now(timezone.utc) + timedelta(days=2)).replace(hour=10, minute=0, second=0, microsecond=0)
    booking = {"pet_id": biscuit["id"], "starts_at": slot.isoformat(), "minutes": 30, "reason": "Dental"}
    created = client.post("/api/v1/appointments", json=booking, headers=headers)
    assert created.status_code == 201 and created.json["minutes"] == 30
    clash = client.post("/api/v1/appointments", json=booking, headers=headers)  # savepoint rolls back
    assert clash.status_code == 409
    assert len(client.get("/api/v1/appointments", headers=headers).json["items"]) == 2


def test_partner_api_with_token_auth(seeded_app):
    models, db = _models(), _db()
    with seeded_app.app_context():
        partner = models.LabPartner.query.one()
        token = partner.issue_token()
        pet = models.Pet.query.filter_by(name="Miso").one()
        request = models.LabResult(pet=pet, partner=partner, test_code="T4")
        db.session.add(request)
        db.session.commit()
        result_id = request.id
    client = seeded_app.test_client()
    headers = {"Authorization": f"Bearer {token}"}

    assert client.get("/partners/api/requests").status_code == 401
    assert client.get("/partners/api/requests", headers={"Authorization": "Bearer wrong"}).status_code == 401
    pending = client.get("/partners/api/requests", headers=headers).json["items"]
    assert [(item["id"], item["test_code"]) for item in pending] == [(str(result_id), "T4")]
    assert client.get(f"/partners/api/results/{uuid.uuid4()}", headers=headers).status_code == 404

    bad = client.post(f"/partners/api/results/{result_id}", data={"values": "[1, 2]"}, headers=headers)
    assert bad.status_code == 422
    response = client.post(
        f"/partners/api/results/{result_id}",
        data={"values": '{"T4": 31.5}', "flags": "HIGH", "report": (io.BytesIO(b"%PDF-1.4 report"), "t4.pdf")},
        headers=headers,
        content_type="multipart/form-data",
    )
    assert response.status_code == 202 and response.json["status"] == "received"
    with seeded_app.app_context():
        stored = db.session.get(models.LabResult, result_id)
        assert stored.values == {"T4": 31.5} and stored.flags == ["HIGH"]
        assert stored.report_pdf.startswith(b"%PDF")


def test_csrf_exempt_webhook_and_reports(seeded_app):
    seeded_app.config["WTF_CSRF_ENABLED"] = True
    client = seeded_app.test_client()
    assert client.post("/auth/login", data={"email": "admin@example.com", "password": PASSWORD}).status_code == 400
    hook = "/appointments/webhooks/sms-status"
    assert client.post(hook, json={"status": "delivered", "reference": "appt-1"}).status_code == 401
    response = client.post(
        hook, json={"status": "delivered", "reference": "appt-1"}, headers={"X-Gateway-Secret": "test-webhook-secret"}
    )
    assert response.status_code == 200
    with seeded_app.app_context():
        assert _db().session.get(_models().Appointment, 1).reminder_sent is True

    seeded_app.config["WTF_CSRF_ENABLED"] = False
    reporting_models = importlib.import_module("clinic.reporting.models")
    etl = importlib.import_module("clinic.reporting.etl")
    reporting_models.ReportingBase.metadata.create_all(seeded_app.extensions["reporting_engine"])
    with seeded_app.app_context():
        assert etl.refresh_daily_revenue(since=date.today() - timedelta(days=1)) == 1
    assert _login(client, "admin@example.com").status_code == 302
    csv_text = client.get("/reports/revenue.csv").get_data(as_text=True)
    assert csv_text.splitlines()[1].endswith(",1,48.50")
    assert client.get("/reports/revenue").status_code == 200


def _form_classes():
    found = {}
    for module_name in EXPECTED_FORMS:
        module = importlib.import_module(module_name)
        found[module_name] = {
            name
            for name, obj in vars(module).items()
            if inspect.isclass(obj) and issubclass(obj, wtforms.Form) and obj.__module__ == module_name
        }
    return found


def test_every_form_instantiates_in_a_request_context(seeded_app):
    assert _form_classes() == EXPECTED_FORMS
    field_types, validator_types = set(), set()
    with seeded_app.test_request_context("/"):
        for module_name, names in EXPECTED_FORMS.items():
            module = importlib.import_module(module_name)
            for name in sorted(names):
                form = getattr(module, name)()
                for field in form:
                    field_types.add(type(field).__name__)
                    validator_types.update(type(v).__name__ for v in field.validators)
                    if isinstance(field, wtforms.FieldList):
                        for entry in field:
                            field_types.add(type(entry).__name__)
                            for sub in entry.form:
                                field_types.add(type(sub).__name__)
                                validator_types.update(type(v).__name__ for v in sub.validators)

    wanted_fields = {name for name in wtforms.fields.__all__ if name.endswith("Field") and name not in NOT_USED_FIELDS}
    wanted_fields -= {"Field", "SelectFieldBase"}
    assert wanted_fields - field_types == set()
    assert {"QuerySelectField", "QuerySelectMultipleField", "FieldList", "FormField"} <= field_types
    wanted_validators = {
        "DataRequired",
        "InputRequired",
        "Optional",
        "Length",
        "Email",
        "EqualTo",
        "NumberRange",
        "Regexp",
        "URL",
        "AnyOf",
        "NoneOf",
        "IPAddress",
        "MacAddress",
        "UUID",
        "ReadOnly",
        "Disabled",
        "FileAllowed",
        "FileRequired",
        "FileSize",
    }
    assert wanted_validators - validator_types == set()


def test_reporting_declarative_models_configure(clinic):
    reporting_models = importlib.import_module("clinic.reporting.models")
    base = reporting_models.ReportingBase
    assert not hasattr(base, "__fsa__")  # plain SQLAlchemy, not Flask-SQLAlchemy
    configure_mappers()
    assert set(base.metadata.tables) == {"daily_revenue", "species_visits"}
    engine = sa.create_engine("sqlite://")
    base.metadata.create_all(engine)
    with sa.orm.Session(engine) as session:
        session.add(reporting_models.DailyRevenue(day=date(2024, 3, 1), clinic_code="HBV01", total=Decimal("12.50")))
        session.commit()
        row = session.scalars(sa.select(reporting_models.DailyRevenue)).one()
        assert (row.invoice_count, row.total) == (0, Decimal("12.50"))
