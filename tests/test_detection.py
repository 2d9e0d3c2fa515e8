"""Framework detection and the --from/--to overrides."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from fwlint.cli import main
from fwlint.detection import choose_direction

from .conftest import scan_source, validated_json

FLASK = "from flask import Flask\napp = Flask(__name__)\n"
DJANGO = "from django.http import HttpResponse\n\ndef index(request):\n    return HttpResponse('hi')\n"


def test_flask_project(tmp_path: Path) -> None:
    report = scan_source(tmp_path, {"app.py": FLASK})
    assert report.detected["framework"] == "flask"
    assert (report.source_framework, report.target_framework) == ("flask", "django")


def test_django_project(tmp_path: Path) -> None:
    report = scan_source(tmp_path, {"views.py": DJANGO})
    assert report.detected["framework"] == "django"
    assert (report.source_framework, report.target_framework) == ("django", "flask")


def test_both_picks_the_framework_most_files_use(tmp_path: Path) -> None:
    report = scan_source(tmp_path, {"a.py": FLASK, "b.py": FLASK, "c.py": DJANGO})
    assert report.detected == {"framework": "both", "flask": 2, "django": 1}
    assert report.source_framework == "flask"


def test_neither_reports_nothing_to_port(tmp_path: Path) -> None:
    report = scan_source(tmp_path, {"tool.py": "import os\nprint(os.getcwd())\n"})
    assert report.detected["framework"] == "neither"
    assert report.source_framework is None and report.findings == []
    data = validated_json(report)
    assert data["project"]["source_framework"] is None


def test_from_overrides_detection(tmp_path: Path) -> None:
    report = scan_source(tmp_path, {"a.py": FLASK, "b.py": FLASK, "c.py": DJANGO}, source="django")
    assert (report.source_framework, report.target_framework) == ("django", "flask")


def test_to_implies_from() -> None:
    assert choose_direction("both", {"flask": 5, "django": 1}, None, "flask") == ("django", "flask")
    assert choose_direction("neither", {"flask": 0, "django": 0}, None, None) == (None, None)


def test_cli_text_for_a_project_without_frameworks(tmp_path: Path) -> None:
    (tmp_path / "tool.py").write_text("print('hi')\n")
    result = CliRunner().invoke(main, ["scan", str(tmp_path), "--no-cache"])
    assert result.exit_code == 0
    assert "nothing to port" in result.stdout
