"""Command line: ``python -m holdspace.core {rank,allocate,score} ...``; prints JSON."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m holdspace.core")
    commands = parser.add_subparsers(dest="command", required=True)
    rank = commands.add_parser("rank", help="rank therapists for each seeker of a scenario file")
    rank.add_argument("file")
    allocate = commands.add_parser(
        "allocate", help="place the seekers of a scenario file with therapists (batch)"
    )
    allocate.add_argument("file")
    score = commands.add_parser("score", help="score an instrument from an answers file")
    score.add_argument("instrument")
    score.add_argument("file")
    args = parser.parse_args(argv)

    # Imported lazily so that one command's module never slows or breaks another.
    if args.command == "rank":
        from holdspace.core.scenario import run_rank

        return run_rank(args.file)
    if args.command == "allocate":
        from holdspace.core.scenario import run_allocate

        return run_allocate(args.file)
    from holdspace.core.instruments import run_score

    return run_score(args.instrument, args.file)


if __name__ == "__main__":
    sys.exit(main())
