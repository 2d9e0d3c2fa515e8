"""Prove that ``fixtures/flask_members`` is a working Flask-Security-Too app, with the real packages.

The members fixture is a climbing club's portal built on Flask-Security-Too:
``UserMixin``/``RoleMixin`` models, ``SQLAlchemyUserDatastore``, the auth and
role/permission decorators, token auth for a JSON API, ``hash_password`` and
``verify_password``, an extended ``RegisterFormV2`` and the ``user_registered``
signal. This test builds it with a test configuration, checks the URL map
against a hand-written table and the schema against a hand-written table list,
and drives each protection (including CSRF for session but not token auth)
through the test client and the CLI.
"""

import csv
import gc
import importlib
import io
import re
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

pytest.importorskip("flask_security")
pytest.importorskip("flask_sqlalchemy")
pytest.importorskip("flask_wtf")

import sqlalchemy as sa
from flask_security import hash_password, verify_password
from sqlalchemy.orm import configure_mappers

FIXTURE_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "flask_members"
ENV_VARS = ("MEMBERS_SETTINGS", "MEMBERS_SECRET_KEY", "MEMBERS_PASSWORD_SALT", "DATABASE_URL")
PASSWORD = "gritstone-slab-42"

# Flask-Security 5.x still accepts "plaintext" (it is in SECURITY_PASSWORD_SCHEMES and
# SECURITY_PASSWORD_SINGLE_HASH), which keeps the tests fast; the app itself uses pbkdf2_sha512.
TEST_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key",
    "SQLALCHEMY_DATABASE_URI": "sqlite://",
    "WTF_CSRF_ENABLED": False,
    "SECURITY_PASSWORD_SALT": "test-password-salt",
    "SECURITY_PASSWORD_HASH": "plaintext",
    "SECURITY_EMAIL_VALIDATOR_ARGS": {"check_deliverability": False},  # no DNS look-ups in tests
}

# endpoint -> (rule, methods without HEAD/OPTIONS), checked by hand against the views
# and the Flask-Security features the config turns on (registerable, changeable).
EXPECTED_ROUTES = {
    "static": ("/static/<path:filename>", {"GET"}),
    "portal.join": ("/join", {"GET"}),
    "portal.home": ("/", {"GET"}),
    "portal.profile": ("/profile", {"GET", "POST"}),
    "portal.meets": ("/meets", {"GET"}),
    "portal.meet_sign_up": ("/meets/<int:meet_id>/sign-up", {"POST"}),
    "portal.committee": ("/committee", {"GET"}),
    "portal.members_csv": ("/committee/members.csv", {"GET"}),
    "portal.new_meet": ("/committee/meets/new", {"GET", "POST"}),
    "portal.wall": ("/wall", {"GET", "POST"}),
    "portal.strip_problem": ("/wall/<int:problem_id>/strip", {"POST"}),
    "api.me": ("/api/me", {"GET"}),
    "api.meets": ("/api/meets", {"GET"}),
    "api.join_meet": ("/api/meets/<int:meet_id>/attendees", {"POST"}),
    "security.login": ("/login", {"GET", "POST"}),
    "security.logout": ("/logout", {"POST"}),
    "security.register": ("/register", {"GET", "POST"}),
    "security.change_password": ("/change", {"GET", "POST"}),
    "security.verify": ("/verify", {"GET", "POST"}),
    "security.static": ("/fs-static/<path:filename>", {"GET"}),
}

EXPECTED_TABLES = {"user", "role", "roles_users", "meet", "meet_attendees", "wall_problem"}
JSON = {"Accept": "application/json"}


def _purge_members_modules():
    for name in list(sys.modules):
        if name == "members" or name.startswith("members."):
            del sys.modules[name]


@pytest.fixture(scope="module")
def members():
    """Import the fixture's ``members`` package; clean up ``members*`` modules afterwards."""
    _purge_members_modules()
    # Blinker holds receivers weakly: collect any that other fixture apps' purged
    # modules connected to Flask-Principal's global signals (e.g. ``identity_loaded``).
    gc.collect()
    with pytest.MonkeyPatch.context() as mp:
        for var in ENV_VARS:
            mp.delenv(var, raising=False)
        mp.syspath_prepend(str(FIXTURE_DIR))
        try:
            yield importlib.import_module("members")
        finally:
            _purge_members_modules()


def _models():
    return importlib.import_module("members.models")


def _db():
    return importlib.import_module("members.extensions").db


@pytest.fixture
def app(members, tmp_path):
    """A fresh app on its own in-memory database, with the club's roles, members and a meet."""
    app = members.create_app(TEST_CONFIG)
    app.instance_path = str(tmp_path / "instance")
    models, db = _models(), _db()
    store = models.user_datastore
    with app.app_context():
        db.create_all()
        store.create_role(name="member", description="Paid-up club member")
        store.create_role(name="committee", permissions=["members-read", "meets-write", "routes-strip"])
        store.create_role(name="route-setter", permissions=["routes-write"])
        for email, name, roles in [
            ("ann@example.com", "Ann Member", ["member"]),
            ("cat@example.com", "Cat Committee", ["member", "committee"]),
            ("ray@example.com", "Ray Setter", ["member", "route-setter"]),
            ("sid@example.com", "Sid Setter", ["member", "route-setter"]),
        ]:
            store.create_user(email=email, full_name=name, password=hash_password(PASSWORD), roles=roles)
        cat = store.find_user(email="cat@example.com")
        starts_on = date.today() + timedelta(days=3)
        db.session.add(
            models.Meet(title="Stanage evening", crag="Stanage Popular", places=2, organiser=cat, starts_on=starts_on)
        )
        db.session.commit()
    return app


def _login(app, email, password=PASSWORD):
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 302 and response.location == "/", response.get_data(as_text=True)
    return client


def _meet_id(app):
    with app.app_context():
        return _db().session.scalar(sa.select(_models().Meet.id))


def test_url_map_matches_hand_checked_routes(members):
    app = members.create_app(TEST_CONFIG)
    actual = {rule.endpoint: (rule.rule, set(rule.methods) - {"HEAD", "OPTIONS"}) for rule in app.url_map.iter_rules()}
    assert actual == EXPECTED_ROUTES
    assert set(app.blueprints) == {"portal", "api", "security"}
    assert {"sqlalchemy", "security", "csrf"} <= set(app.extensions)
    security = app.extensions["security"]
    assert security.datastore is _models().user_datastore
    assert security.forms["register_form"].cls is importlib.import_module("members.forms").MemberRegisterForm


def test_models_and_schema(app):
    models, db = _models(), _db()
    configure_mappers()
    with app.app_context():
        assert set(sa.inspect(db.engine).get_table_names()) == EXPECTED_TABLES
        assert set(models.roles_users.c.keys()) == {"user_id", "role_id"}
        committee = models.user_datastore.find_role("committee")
        assert committee.get_permissions() == {"members-read", "meets-write", "routes-strip"}
        db.session.expire(committee)  # AsaList round-trips the list through a comma-separated column
        assert committee.permissions == ["members-read", "meets-write", "routes-strip"]
        cat = models.user_datastore.find_user(email="cat@example.com")
        assert cat.fs_uniquifier and cat.active and cat.is_committee and cat.joined_on == date.today()
        assert [user.email for user in committee.users] == ["cat@example.com"]


def test_default_config_hashes_with_pbkdf2(members):
    """Without the test override, passwords use pbkdf2_sha512: no argon2/bcrypt package needed."""
    app = members.create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SECURITY_PASSWORD_HASH"] == "pbkdf2_sha512"
    with app.app_context():
        hashed = hash_password(PASSWORD)
        assert hashed.startswith("$pbkdf2-sha512$")
        assert verify_password(PASSWORD, hashed) and not verify_password("wrong", hashed)


def test_anonymous_visitors(app):
    client = app.test_client()
    for path in ("/", "/profile", "/meets", "/committee", "/committee/members.csv", "/wall"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.location.startswith("/login?next="), path
    assert client.get("/committee", headers=JSON).status_code == 401
    assert client.get("/api/me", headers=JSON).status_code == 401
    assert client.get("/api/meets", headers=JSON).status_code == 401

    landing = client.get("/join")
    assert landing.status_code == 200
    assert b"Stanage evening" in landing.data and b'href="/register"' in landing.data
    assert client.get("/login").status_code == 200


def test_register_with_the_extended_form(app):
    models = _models()
    client = app.test_client()
    page = client.get("/register")
    assert page.status_code == 200 and b"BMC membership number" in page.data

    form = {
        "full_name": "Nia Newcomer",
        "email": "nia@example.com",
        "bmc_number": " a1234567 ",
        "password": PASSWORD,
        "password_confirm": PASSWORD,
    }
    rejected = client.post("/register", data={**form, "bmc_number": "not-a-number"})
    assert rejected.status_code == 200 and b"does not look like a BMC number" in rejected.data

    response = client.post("/register", data=form)
    assert response.status_code == 302 and response.location == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert b"Hello, Nia Newcomer" in home.data and b"Welcome to the club, Nia Newcomer!" in home.data
    with app.app_context():
        nia = models.user_datastore.find_user(email="nia@example.com")
        assert nia.full_name == "Nia Newcomer" and nia.bmc_number == "A1234567"
        assert [role.name for role in nia.roles] == ["member"]  # the user_registered handler
    assert client.get("/join").status_code == 302  # anonymous_user_required
    assert client.get("/join", headers=JSON).status_code == 400


def test_member_pages_and_role_checks(app):
    models = _models()
    with app.app_context():
        assert models.user_datastore.find_user(email="ann@example.com").login_count is None
    ann = _login(app, "ann@example.com")
    assert app.test_client().post("/login", data={"email": "ann@example.com", "password": "nope"}).status_code == 200

    home = ann.get("/")
    assert home.status_code == 200 and b"Hello, Ann Member" in home.data
    assert b"add an emergency contact" in home.data and b'action="/logout"' in home.data
    with app.app_context():
        ann_user = models.user_datastore.find_user(email="ann@example.com")
        assert ann_user.login_count == 1 and ann_user.current_login_ip == "127.0.0.1"  # trackable
    for path in ("/committee", "/committee/members.csv", "/committee/meets/new", "/wall"):
        assert ann.get(path).status_code == 403, path

    cat = _login(app, "cat@example.com")
    committee = cat.get("/committee")
    assert committee.status_code == 200 and b"ann@example.com" in committee.data
    export = cat.get("/committee/members.csv")
    assert export.status_code == 200 and export.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(export.get_data(as_text=True))))
    assert [row["email"] for row in rows][:2] == ["ann@example.com", "cat@example.com"]
    assert rows[1]["roles"] == "committee member"
    assert cat.get("/wall").status_code == 200  # roles_accepted: committee

    ray = _login(app, "ray@example.com")
    assert ray.get("/committee").status_code == 403
    assert ray.get("/committee/members.csv").status_code == 403  # no members-read permission
    assert ray.get("/wall").status_code == 200  # roles_accepted: route-setter

    assert ann.post("/logout").status_code == 302
    assert ann.get("/").status_code == 302


def test_meets_wall_and_profile(app):
    models, db = _models(), _db()
    meet_id = _meet_id(app)
    cat = _login(app, "cat@example.com")
    assert cat.get("/committee/meets/new").status_code == 200
    past = (date.today() - timedelta(days=1)).isoformat()
    rejected = cat.post("/committee/meets/new", data={"title": "Old", "crag": "Froggatt", "starts_on": past})
    assert rejected.status_code == 200 and b"Meets cannot be in the past." in rejected.data
    soon = (date.today() + timedelta(days=10)).isoformat()
    meet = {"title": "Burbage North", "crag": "Burbage", "starts_on": soon, "places": "8"}
    assert cat.post("/committee/meets/new", data=meet).status_code == 302
    assert b"Burbage North" in cat.get("/meets").data

    ann = _login(app, "ann@example.com")
    assert ann.post(f"/meets/{meet_id}/sign-up").status_code == 302
    assert b"You're going" in ann.get("/meets").data
    assert b"Stanage evening" in ann.get("/").data
    assert ann.post("/meets/999/sign-up").status_code == 404

    wrong = ann.post("/profile", data={"emergency_contact": "Bo, 07700 900111", "password": "not-my-password"})
    assert wrong.status_code == 200 and b"That is not your current password." in wrong.data
    right = ann.post("/profile", data={"emergency_contact": "Bo, 07700 900111", "password": PASSWORD})
    assert right.status_code == 302
    with app.app_context():
        assert models.user_datastore.find_user(email="ann@example.com").emergency_contact == "Bo, 07700 900111"

    ray, sid = _login(app, "ray@example.com"), _login(app, "sid@example.com")
    problem = {"name": "Pocket Rocket", "grade": "6B+", "colour": "blue", "section": "Cave"}
    assert ray.post("/wall", data=problem).status_code == 302
    assert b"Pocket Rocket" in ray.get("/wall").data
    with app.app_context():
        problem_id = db.session.scalar(sa.select(models.WallProblem.id))
    assert sid.post(f"/wall/{problem_id}/strip").status_code == 403  # not Sid's problem
    assert ann.post(f"/wall/{problem_id}/strip").status_code == 403  # no routes-* permission
    assert cat.post(f"/wall/{problem_id}/strip").status_code == 302  # committee: routes-strip
    assert b"Pocket Rocket" not in ray.get("/wall").data


def test_token_api(app):
    models = _models()
    meet_id = _meet_id(app)
    with app.app_context():
        token = models.user_datastore.find_user(email="ann@example.com").get_auth_token()
    client = app.test_client()
    headers = {"Authentication-Token": token, **JSON}

    assert client.get("/api/me", headers={"Authentication-Token": "forged", **JSON}).status_code == 401
    me = client.get("/api/me", headers=headers)
    assert me.status_code == 200
    assert me.json["email"] == "ann@example.com" and me.json["name"] == "Ann Member"
    assert me.json["roles"] == ["member"] and me.json["member_since"] == date.today().isoformat()
    assert client.get("/api/me", query_string={"auth_token": token}).status_code == 200

    meets = client.get("/api/meets", headers=headers).json["items"]
    assert [(m["title"], m["places_left"], m["attending"]) for m in meets] == [("Stanage evening", 2, False)]
    joined = client.post(f"/api/meets/{meet_id}/attendees", headers=headers)
    assert joined.status_code == 201 and joined.json["attending"] is True and joined.json["places_left"] == 1
    assert client.post(f"/api/meets/{meet_id}/attendees", headers=headers).status_code == 200

    # The login endpoint hands out a token to JSON clients that ask for one.
    login = app.test_client().post("/login?include_auth_token", json={"email": "ray@example.com", "password": PASSWORD})
    assert login.status_code == 200
    ray_headers = {"Authentication-Token": login.json["response"]["user"]["authentication_token"], **JSON}
    assert client.get("/api/me", headers=ray_headers).json["roles"] == ["member", "route-setter"]
    assert client.post(f"/api/meets/{meet_id}/attendees", headers=ray_headers).status_code == 201
    with app.app_context():
        sid_token = models.user_datastore.find_user(email="sid@example.com").get_auth_token()
    full = client.post(f"/api/meets/{meet_id}/attendees", headers={"Authentication-Token": sid_token, **JSON})
    assert full.status_code == 409 and full.json == {"error": "This meet is full."}

    # A browser session is enough for /api/meets but not for the token-only endpoints.
    session = _login(app, "cat@example.com")
    assert session.get("/api/meets", headers=JSON).status_code == 200
    assert session.get("/api/me", headers=JSON).status_code == 401
    assert session.post(f"/api/meets/{meet_id}/attendees", headers=JSON).status_code == 401


def _csrf_token(html):
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html).group(1)


def test_csrf_applies_to_sessions_not_tokens(app):
    app.config["WTF_CSRF_ENABLED"] = True
    meet_id = _meet_id(app)
    client = app.test_client()
    assert client.post("/login", data={"email": "ann@example.com", "password": PASSWORD}).status_code == 400
    token = _csrf_token(client.get("/login").get_data(as_text=True))
    login = client.post("/login", data={"email": "ann@example.com", "password": PASSWORD, "csrf_token": token})
    assert login.status_code == 302

    # SECURITY_CSRF_PROTECT_MECHANISMS: auth_required() checks CSRF for session auth ...
    assert client.post(f"/meets/{meet_id}/sign-up").status_code == 400
    token = _csrf_token(client.get("/meets").get_data(as_text=True))
    assert client.post(f"/meets/{meet_id}/sign-up", data={"csrf_token": token}).status_code == 302

    # ... and not for token auth.
    with app.app_context():
        auth_token = _models().user_datastore.find_user(email="ray@example.com").get_auth_token()
    joined = app.test_client().post(f"/api/meets/{meet_id}/attendees", headers={"Authentication-Token": auth_token})
    assert joined.status_code == 201 and joined.json["places_left"] == 0


def test_cli_commands(app):
    models = _models()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-roles"])
    assert result.exit_code == 0 and "Created 0 role(s)." in result.output

    args = ["create-admin", "secretary@example.com", "--name", "Jo Secretary", "--password", PASSWORD]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "Created committee member secretary@example.com." in result.output
    with app.app_context():
        jo = models.user_datastore.find_user(email="secretary@example.com")
        assert {role.name for role in jo.roles} == {"member", "committee"}
        assert verify_password(PASSWORD, jo.password)
    again = runner.invoke(args=args)
    assert again.exit_code == 1 and "already has an account" in again.output
    assert _login(app, "secretary@example.com").get("/committee").status_code == 200

    # Flask-Security's own command groups are there too.
    assert runner.invoke(args=["roles", "--help"]).exit_code == 0


def test_create_roles_on_an_empty_database(members):
    app = members.create_app(TEST_CONFIG)
    with app.app_context():
        _db().create_all()
    result = app.test_cli_runner().invoke(args=["create-roles"])
    assert result.exit_code == 0 and "Created 3 role(s)." in result.output
    with app.app_context():
        setter = _models().user_datastore.find_role("route-setter")
        assert setter.get_permissions() == {"routes-write"}
