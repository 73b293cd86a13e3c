"""``manage.py allocate PROGRAM`` (id or enrollment code), ``--dry-run``, ``--export FILE``;
``manage.py allocate --all-due`` for cron (nightly). Prints counts and fit figures only."""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Any, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from holdspace.numbers import small_int
from holdspace.programs import export, services
from holdspace.programs.models import AllocationRun, Program

PHASES = 6  # sync, gather, allocate, validate, offers, waiting


class Command(BaseCommand):
    help = (
        "Allocate a program's waiting enrollees to its therapists (PROGRAM is an id or the "
        "enrollment code), or every program with someone waiting (--all-due, for cron)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("program", nargs="?", help="program id or enrollment code")
        parser.add_argument("--all-due", action="store_true", help="every open program (nightly)")
        parser.add_argument(
            "--dry-run", action="store_true", help="print the proposed figures; write nothing"
        )
        parser.add_argument(
            "--export", metavar="FILE", help="write the input as an anonymised JSON scenario"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # Rich writes to the command's own stdout (so call_command(stdout=...) captures it).
        console = Console(file=cast(IO[str], self.stdout), force_terminal=False, width=100)
        if options["all_due"]:
            if options["program"] or options["dry_run"] or options["export"]:
                raise CommandError("--all-due runs every due program; give no other options.")
            outcomes = services.run_nightly()
            placed = sum(o.placed for o in outcomes)
            console.print(f"Ran {len(outcomes)} program(s); {placed} offer(s) made.")
            return
        if not options["program"]:
            raise CommandError("Name a program (id or code), or use --all-due.")
        program = self._program(options["program"])
        with Progress(
            TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
            console=console, transient=False,
        ) as progress:  # fmt: skip
            bar = progress.add_task("Starting", total=PHASES)

            def step(phase: str) -> None:
                progress.update(bar, description=phase, advance=1)

            try:
                outcome = services.run_allocation(
                    program=program, trigger=AllocationRun.Trigger.COMMAND,
                    dry_run=options["dry_run"], progress=step,
                )  # fmt: skip
            except services.AllocationRejected as error:
                raise CommandError(f"The validator refused the allocation: {error}") from None
            except services.ProgramError as error:
                raise CommandError(error.message) from None
            progress.update(bar, description="Done", completed=PHASES)
        if options["export"]:
            data = export.scenario(outcome.inputs)
            Path(options["export"]).write_text(json.dumps(data, indent=2) + "\n")
            console.print(f"Exported the input to {options['export']}.")
        stats = outcome.allocation.stats
        worst = "none placed" if stats.min_fit is None else f"{stats.min_fit:.2f}"
        verb = "Proposed" if options["dry_run"] else "Made"
        console.print(
            f"{verb}: {outcome.placed} placed, {outcome.waiting} waiting, "
            f"{outcome.refused} refused on re-check.\n"
            f"Total fit {stats.total_fit:.2f} (best possible {stats.lp_bound:.2f}); "
            f"worst-off fit {worst}. Validator: passed."
        )
        if options["dry_run"]:
            console.print("Dry run: nothing was written.")

    def _program(self, ident: str) -> Program:
        programs = Program.objects.select_related("organisation")
        program = (
            programs.filter(pk=number).first()
            if (number := small_int(ident)) is not None
            else programs.filter(code=services.normalise_code(ident)).first()
        )
        if program is None:
            raise CommandError(f"No program {ident!r}.")
        return program
