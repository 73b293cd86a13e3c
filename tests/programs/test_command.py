"""``manage.py allocate``: dry run writes nothing, the export runs through the core CLI, the
validator runs after every production run."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from holdspace.core.scenario import parse_scenario
from holdspace.outreach.models import ConsultationRequest
from holdspace.programs.models import AllocationRun, Enrollment, Placement
from tests.factories import affiliate, tie
from tests.programs.helpers import enrolled, join, make_organisation, make_program

pytestmark = pytest.mark.django_db(transaction=True)


def allocate(*args: str) -> str:
    out = io.StringIO()
    call_command("allocate", *args, stdout=out)
    return out.getvalue()


def test_dry_run_prints_figures_and_writes_nothing() -> None:
    program = make_program()
    join(program, capacity=1)
    for _ in range(3):
        enrolled(program)
    output = allocate(program.display_code.lower(), "--dry-run")
    assert "Proposed: 1 placed, 2 waiting" in output
    assert "best possible" in output
    assert "worst-off fit" in output
    assert "Validator: passed" in output
    assert "nothing was written" in output
    assert not AllocationRun.objects.exists()
    assert not Placement.objects.exists()
    assert not ConsultationRequest.objects.exists()
    assert set(Enrollment.objects.values_list("status", flat=True)) == {"waiting"}


def test_a_real_run_by_id_makes_offers_and_records_the_run() -> None:
    program = make_program()
    join(program, capacity=2)
    for _ in range(3):
        enrolled(program)
    output = allocate(str(program.pk))
    assert "Made: 2 placed, 1 waiting" in output
    run = AllocationRun.objects.get()
    assert run.trigger == "command"
    assert run.validator_ok is True
    assert Placement.objects.count() == 2


def test_unknown_program_is_a_clear_error() -> None:
    with pytest.raises(CommandError, match="No program"):
        allocate("NOPE-NOPE-NOPE")


def test_export_is_anonymous_and_round_trips_through_the_core_cli(tmp_path: Path) -> None:
    organisation = make_organisation()
    program = make_program(organisation)
    tied = join(program, capacity=1)
    affiliate(tied.profile.user, organisation.entity)
    join(program, capacity=1)
    people = [enrolled(program) for _ in range(3)]
    tie(people[0].seeker, "email", "a.colleague@example.test")
    path = tmp_path / "program.json"

    allocate(program.code, "--dry-run", "--export", str(path))

    text = path.read_text()
    data = json.loads(text)
    assert [s["id"] for s in data["seekers"]] == ["s1", "s2", "s3"]
    assert sorted(t["id"] for t in data["therapists"]) == ["t1", "t2"]
    assert {e["id"] for e in data["entities"]} == {"e1"}
    for person in people:
        assert person.seeker.email not in text
        assert person.seeker.pseudonym not in text
        assert f'"u{person.seeker_id}"' not in text
    assert "Therapist" not in text
    assert organisation.name not in text
    parse_scenario(data)  # the core's own reader accepts it
    for seeker in data["seekers"]:  # the organisation is every enrollee's excluded entity
        assert seeker["exclude_entities"] == ["e1"]

    result = subprocess.run(
        [sys.executable, "-m", "holdspace.core", "allocate", str(path)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    allocation = json.loads(result.stdout)
    assert allocation["stats"]["matched"] == 1  # the tied therapist is never used
    (assignment,) = allocation["assignments"]
    tied_id = next(a["person"] for a in data["affiliations"] if a["person"].startswith("t"))
    assert assignment["therapist"] != tied_id
