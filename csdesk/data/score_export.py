"""Exports of a trainee's score (JSON and CSV); every one carries the DEMO marker.

Training scores come from a demo store, so an export must never pass for real desk
data: the JSON has ``"marker": "DEMO"`` and ``"demo": true``, every CSV row starts
with ``DEMO``. Reasons are plain English sentences without customer identifiers.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from csdesk.data.trainer_api import DEMO_MARKER, RunInfo
from csdesk.domain.masking import mask_text
from csdesk.domain.scoring import ScoreReport

CSV_COLUMNS = ("marker", "run_id", "scenario", "trainee", "check", "points", "earned", "passed", "reason")


def score_json(report: ScoreReport, run: RunInfo) -> dict[str, Any]:
    """The score as a JSON-ready mapping."""
    return {
        "marker": DEMO_MARKER,
        "demo": True,
        "run_id": run.id,
        "scenario": report.scenario_id,
        "trainee": report.trainee,
        "started_at": run.started_at.isoformat(),
        "finished": run.finished,
        "earned": report.earned,
        "possible": report.possible,
        "percent": report.percent,
        "checks": [
            {
                "check": r.check,
                "points": r.points,
                "earned": r.earned,
                "passed": r.passed,
                "code": r.code,
                "reason": mask_text(r.reason),
                "values": {k: mask_text(v) for k, v in r.values.items()},
            }
            for r in report.results
        ],
    }


def score_csv(report: ScoreReport, run: RunInfo) -> str:
    """The score as CSV text: a header, then one row per check, each marked DEMO."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in report.results:
        writer.writerow(
            (DEMO_MARKER, run.id, report.scenario_id, report.trainee, r.check, r.points, r.earned,
             "yes" if r.passed else "no", mask_text(r.reason))
        )
    writer.writerow((DEMO_MARKER, run.id, report.scenario_id, report.trainee, "total", report.possible,
                     report.earned, report.percent, ""))
    return out.getvalue()
