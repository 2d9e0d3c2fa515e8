"""``--fail-on`` gates for CI: conditions on the report that turn exit 0 into exit 1.

Gates (repeat ``--fail-on`` to combine; any failing gate fails the run):

- ``any``: any finding at all (after ``--baseline``, any *new* finding);
- ``new``: a finding the baseline does not know (needs ``--baseline``; the default gate with it);
- ``effort>N``: total effort points above N;
- ``category:NAME``: a finding in that category (``category:orm``);
- ``rule:CODE``: a finding of that rule or rule prefix (``rule:FD8``);
- ``unmapped``: framework APIs no rule maps;
- ``blockers``: sites with no equivalent on the other side.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fwlint.report.model import Report
from fwlint.rules_engine.catalog import CATEGORIES

GATE = re.compile(r"^(any|new|unmapped|blockers|effort>(\d+)|category:(\w+)|rule:([A-Z]{2}\d{0,3}))$")


class GateError(ValueError):
    """A ``--fail-on`` value fwlint does not understand (a usage error: exit 2)."""


@dataclass(frozen=True)
class Gate:
    text: str

    @classmethod
    def parse(cls, text: str) -> Gate:
        match = GATE.match(text.strip())
        if match is None:
            raise GateError(
                f"unknown --fail-on gate {text!r}: use any, new, unmapped, blockers, effort>N, "
                "category:NAME or rule:CODE"
            )
        if match.group(3) is not None and match.group(3) not in CATEGORIES:
            raise GateError(f"unknown category {match.group(3)!r} in --fail-on: one of {', '.join(sorted(CATEGORIES))}")
        return cls(text.strip())

    def failure(self, report: Report, has_baseline: bool) -> str | None:
        """Why this gate fails on ``report``, or None when it passes."""
        findings = report.findings
        if self.text in ("any", "new"):
            if self.text == "new" and not has_baseline:
                raise GateError("--fail-on new needs --baseline FILE")
            if findings:
                what = "new finding" if has_baseline else "finding"
                return f"{len(findings)} {what}{'' if len(findings) == 1 else 's'}"
            return None
        if self.text == "unmapped":
            count = sum(1 for f in findings if f.kind == "unmapped")
            return f"{count} unmapped framework API site{'' if count == 1 else 's'}" if count else None
        if self.text == "blockers":
            count = len(report.blockers)
            return f"{count} blocker{'' if count == 1 else 's'} (no equivalent)" if count else None
        if self.text.startswith("effort>"):
            limit = int(self.text[len("effort>") :])
            points = sum(f.effort for f in findings)
            return f"{points} effort points > {limit}" if points > limit else None
        if self.text.startswith("category:"):
            name = self.text.split(":", 1)[1]
            count = sum(1 for f in findings if f.category == name)
            return f"{count} {name} finding{'' if count == 1 else 's'}" if count else None
        prefix = self.text.split(":", 1)[1]
        count = sum(1 for f in findings if f.rule.startswith(prefix))
        return f"{count} {prefix}… finding{'' if count == 1 else 's'}" if count else None


def failures(gates: list[Gate], report: Report, has_baseline: bool) -> list[str]:
    return [f"--fail-on {gate.text}: {why}" for gate in gates if (why := gate.failure(report, has_baseline))]
