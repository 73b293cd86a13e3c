"""Benchmark: the therapist browse page with 100,000 listed profiles in the database.

Run from the repository root:

    .venv/bin/python bench/browse.py            # 100,000 profiles, 200 requests
    .venv/bin/python bench/browse.py --profiles 20000 --requests 100 --explain

It creates a throwaway SQLite database in a temporary directory (nothing else is touched),
migrates it, seeds it with ``seed_demo --bulk`` data, then measures with Django's test client:

- server time of ``GET /therapists/?…`` for a seeded mix of filtered queries (location,
  format, approach, focus, language and budget combinations; a quarter on pages 2 to 5),
  end to end through middleware, view, queries and template: median and p95;
- the first-load transfer of the browse page: the HTML plus every stylesheet, script, image
  and icon it references, fetched through the same client (static files are served by
  WhiteNoise from the finders), uncompressed and gzip-compressed.

Targets (issue 2): p95 under 50 ms on SQLite, first load under 100 KB.
"""

from __future__ import annotations

import argparse
import gzip
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from common import machine, percentile  # bench/common.py (scripts run from bench/)

ROOT = Path(__file__).resolve().parent.parent
P95_TARGET_MS = 50.0
TRANSFER_TARGET_BYTES = 100 * 1024


def _configure(database: Path) -> None:
    """Settings come from the environment; point them at the throwaway database."""
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["DEBUG"] = "1"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["DJANGO_SETTINGS_MODULE"] = "holdspace.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


class _Assets(HTMLParser):
    """Same-origin subresources a browser fetches on first load."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.has_icon = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        url = None
        if tag == "link":
            rel = (attributes.get("rel") or "").lower().split()
            if "stylesheet" in rel or "icon" in rel or "preload" in rel:
                url = attributes.get("href")
                self.has_icon = self.has_icon or "icon" in rel
        elif tag in {"script", "img"}:
            url = attributes.get("src")
        if url and not urlsplit(url).netloc and not url.startswith("data:"):
            self.urls.append(url)


def _body(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    content: bytes = response.content
    return content


def _queries(count: int, seed: int) -> list[dict[str, str]]:
    """A seeded mix of what visitors ask for (weights are guesses, not analytics)."""
    from holdspace.core.taxonomy import FOCUS_AREAS, MODALITIES
    from holdspace.directory.demo import POPULATION

    rng = random.Random(seed)
    states = list(POPULATION)
    weights = list(POPULATION.values())
    formats = (["", "video", "phone", "in_person", "walk_and_talk"], [40, 35, 8, 15, 2])
    languages = (["es", "zh", "vi", "fr", "ase"], [70, 8, 8, 8, 6])
    mix = []
    for _ in range(count):
        query: dict[str, str] = {}
        if rng.random() < 0.85:
            query["location"] = rng.choices(states, weights)[0]
        chosen_format = rng.choices(*formats)[0]
        if chosen_format:
            query["format"] = chosen_format
        if rng.random() < 0.4:
            query["modality"] = rng.choice(list(MODALITIES))
        if rng.random() < 0.6:
            query["focus"] = rng.choice(list(FOCUS_AREAS))
        if rng.random() < 0.2:
            query["language"] = rng.choices(*languages)[0]
        if rng.random() < 0.4:
            query["max_fee"] = str(rng.randrange(60, 210, 10))
        if rng.random() < 0.25:
            query["page"] = str(rng.randint(2, 5))
        mix.append(query)
    return mix


def _shape(query: dict[str, str]) -> str:
    keys: list[str] = [
        key
        for key in ("location", "format", "modality", "focus", "language", "max_fee")
        if key in query
    ]
    if query.get("format") in {"in_person", "walk_and_talk"}:
        keys[keys.index("format")] = "format=in_person"
    shape = "+".join(keys) or "(no filter)"
    return shape + (" p>1" if "page" in query else "")


def _seed(profiles: int, seed: int) -> float:
    from django.core.management import call_command

    from holdspace.directory import demo

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    demo.seed_demo(therapists=profiles, seed=seed, fast=True)
    return time.perf_counter() - started


def _measure_browse(requests: int, seed: int, explain: bool) -> dict[str, Any]:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    # Timed as in production: DEBUG off (no query log, no template debug data). The SQL is
    # captured in a second, untimed request of the same query.
    settings.DEBUG = False
    client = Client()
    url = "/therapists/"
    for warm in _queries(10, seed + 1):  # templates, caches, SQLite page cache
        assert client.get(url, warm).status_code == 200
    timings: list[float] = []
    by_shape: dict[str, list[float]] = defaultdict(list)
    query_counts: list[int] = []
    sql_time: dict[str, list[float]] = defaultdict(list)
    slowest: list[tuple[float, str, list[dict[str, str]]]] = []
    for query in _queries(requests, seed):
        started = time.perf_counter()
        response = client.get(url, query)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise SystemExit(f"GET {url}?{urlencode(query)} answered {response.status_code}")
        timings.append(elapsed)
        by_shape[_shape(query)].append(elapsed)
        with CaptureQueriesContext(connection) as captured:
            client.get(url, query)
        executed = list(captured.captured_queries)
        query_counts.append(len(executed))
        for statement in executed:
            kind = statement["sql"].split(" FROM ", 1)[0][:60]
            sql_time[kind].append(float(statement["time"]) * 1000)
        slowest.append((elapsed, urlencode(query), executed))
    slowest.sort(key=lambda item: -item[0])
    return {
        "timings": timings,
        "by_shape": by_shape,
        "query_counts": query_counts,
        "sql_time": sql_time,
        "slowest": slowest[: 3 if explain else 5],
    }


def _measure_transfer() -> dict[str, Any]:
    from django.conf import settings
    from django.test import Client

    settings.DEBUG = True  # WhiteNoise serves from the finders, with no collectstatic step
    client = Client()
    page = client.get("/therapists/")
    assert page.status_code == 200, page.status_code
    html = _body(page)
    parser = _Assets()
    parser.feed(html.decode())
    urls = list(dict.fromkeys(parser.urls))
    if not parser.has_icon:
        urls.append("/favicon.ico")  # what browsers ask for when the page names no icon
    items = [("/therapists/ (HTML)", html, page.get("Content-Type", ""))]
    for asset in urls:
        response = client.get(asset)
        if response.status_code != 200:
            items.append((f"{asset} ({response.status_code})", b"", ""))
            continue
        items.append((asset, _body(response), response.get("Content-Type", "")))
    return {"items": items}


def _explain(slowest: list[tuple[float, str, list[dict[str, str]]]]) -> None:
    from django.db import connection

    print("\nEXPLAIN QUERY PLAN for the slowest requests")
    for elapsed, query, executed in slowest:
        print(f"\n--- {elapsed:.1f} ms  ?{query}")
        for statement in sorted(executed, key=lambda s: -float(s["time"]))[:2]:
            sql = statement["sql"]
            shown = sql if len(sql) <= 400 else sql[:400] + "…"
            print(f"  [{float(statement['time']) * 1000:.1f} ms] {shown}")
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN QUERY PLAN " + sql)
                for row in cursor.fetchall():
                    print(f"      {row[1]:>3} {row[3]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--profiles", type=int, default=100_000, help="listed therapists")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--explain", action="store_true", help="print EXPLAIN QUERY PLAN for the slowest requests"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary database")
    parser.add_argument(
        "--strict", action="store_true", help="exit with status 1 when a target is missed"
    )
    args = parser.parse_args(argv)

    directory = Path(tempfile.mkdtemp(prefix="holdspace-bench-"))
    try:
        _configure(directory / "bench.sqlite3")
        from django.db import connection

        from holdspace.directory.models import TherapistProfile

        print(f"Machine: {machine()}")
        seconds = _seed(args.profiles, args.seed)
        total_profiles = TherapistProfile.objects.count()
        print(
            f"Seeded {total_profiles:,} profiles ({args.profiles:,} listed) in {seconds:.1f} s "
            f"into {directory}"
        )

        browse = _measure_browse(args.requests, args.seed, args.explain)
        timings: list[float] = browse["timings"]
        p50 = statistics.median(timings)
        p95 = percentile(timings, 0.95)
        print(f"\nBrowse page, {len(timings)} requests (server time through the test client, ms)")
        print(f"  {'':<38} {'n':>4} {'p50':>7} {'p95':>7} {'max':>7}")
        rows = sorted(browse["by_shape"].items(), key=lambda item: -statistics.median(item[1]))
        for shape, values in rows[:12]:
            print(
                f"  {shape[:38]:<38} {len(values):>4} {statistics.median(values):>7.1f} "
                f"{percentile(values, 0.95):>7.1f} {max(values):>7.1f}"
            )
        if len(rows) > 12:
            print(f"  … {len(rows) - 12} more query shapes")
        print(f"  {'ALL':<38} {len(timings):>4} {p50:>7.1f} {p95:>7.1f} {max(timings):>7.1f}")
        counts = browse["query_counts"]
        print(
            f"  SQL statements per request: median {statistics.median(counts):.0f}, "
            f"max {max(counts)}"
        )
        print("  SQL time by statement (ms):")
        for kind, values in sorted(browse["sql_time"].items(), key=lambda item: -sum(item[1]))[:5]:
            print(
                f"    {kind:<62} n={len(values):<4} p50={statistics.median(values):6.1f} "
                f"p95={percentile(values, 0.95):6.1f}"
            )

        transfer = _measure_transfer()
        print("\nFirst load of /therapists/ (bytes)")
        print(f"  {'resource':<44} {'raw':>9} {'gzip':>9}")
        raw_total = gzip_total = 0
        for name, body, _content_type in transfer["items"]:
            packed = len(gzip.compress(body, compresslevel=9, mtime=0)) if body else 0
            raw_total += len(body)
            gzip_total += packed
            print(f"  {name[:44]:<44} {len(body):>9,} {packed:>9,}")
        print(f"  {'TOTAL':<44} {raw_total:>9,} {gzip_total:>9,}")

        ok_time = p95 < P95_TARGET_MS
        ok_size = raw_total < TRANSFER_TARGET_BYTES
        print("\nSummary")
        print(
            f"  browse p50 {p50:.1f} ms, p95 {p95:.1f} ms "
            f"(target p95 < {P95_TARGET_MS:.0f} ms: {'met' if ok_time else 'MISSED'})"
        )
        print(
            f"  first load {raw_total / 1024:.1f} KB uncompressed, {gzip_total / 1024:.1f} KB "
            f"gzip (target < {TRANSFER_TARGET_BYTES // 1024} KB: "
            f"{'met' if ok_size else 'MISSED'})"
        )
        if args.explain:
            _explain(browse["slowest"])
        connection.close()
        return 1 if args.strict and not (ok_time and ok_size) else 0
    finally:
        if args.keep:
            print(f"\nDatabase kept in {directory}")
        else:
            shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
