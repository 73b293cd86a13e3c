"""``manage.py seed_demo``: (re)build the demo data and print the demo logins."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import ProtectedError
from django.utils import timezone

from holdspace.directory import demo
from holdspace.directory.selectors import listed_profiles


class Command(BaseCommand):
    help = (
        "Replace the demo data (users @demo.holdspace.test) with realistic therapists, "
        "the same for the same --seed. Safe to run again: it rebuilds instead of duplicating."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--therapists",
            type=int,
            default=300,
            help="Listed therapists to generate (about 15%% more unlisted ones are added).",
        )
        parser.add_argument("--seed", type=int, default=7, help="Random seed (default 7).")
        parser.add_argument(
            "--bulk",
            action="store_true",
            help="Benchmark scale (100,000 therapists): write rows with executemany instead "
            "of bulk_create. Same data, several times faster.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        therapists: int = options["therapists"]
        if therapists < 1:
            raise CommandError("--therapists must be at least 1")
        bulk: bool = options["bulk"]
        try:
            report = demo.seed_demo(
                therapists=therapists,
                seed=options["seed"],
                fast=bulk,
            )
        except ProtectedError as error:
            raise CommandError(
                f"Demo rows are referenced by other data and cannot be replaced: {error.args[0]}"
            ) from error
        listed = listed_profiles(today=timezone.localdate()).count()
        unlisted = ", ".join(
            f"{count} {name.replace('_', ' ')}" for name, count in report.unlisted.items()
        )
        self.stdout.write(
            f"Demo data ready in {report.seconds:.1f} s: {report.profiles} therapist profiles, "
            f"{listed} listed; not listed: {unlisted}. {report.licenses} licenses, "
            f"{report.authorizations} compact authorisations, "
            f"{report.verification_events} verification records."
        )
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password: {demo.DEMO_PASSWORD})"))
        width = max(len(login.email) for login in report.logins)
        for login in report.logins:
            self.stdout.write(f"  {login.email.ljust(width)}  {login.role:<11}  {login.note}")
        self.stdout.write(
            "Therapist, coordinator and staff sign in with a second step (two-factor is required "
            "for them).\nFor the current six-digit code run: "
            "DEBUG=1 .venv/bin/python manage.py demo_code "
            f"(or add the secret {demo.DEMO_TOTP_SECRET} to an authenticator app)."
        )
