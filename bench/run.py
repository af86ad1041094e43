"""Measure the public and owner pages: median/p95 time and SQL queries per request.

    make bench                     # or: .venv/bin/python bench/run.py --repeat 50
    make bench-load SCALE=1000     # or: .venv/bin/python bench/run.py --load --scale 1000

(``--load`` is the production-like load benchmark: see ``bench/load.py``.)

Runs against a throwaway SQLite database (or DATABASE_URL when set), seeded with
``seed_demo`` plus extra storefronts, through Django's test client — so the figures
are the app's own cost, without network or web server. Results are printed as a
table and written to ``bench/results/latest.json``.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(db_path: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mintkit.settings.test")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{db_path}")
    import django

    django.setup()
    import logging

    logging.disable(logging.CRITICAL)  # keep the table readable; errors show as rows
    from django.conf import settings

    settings.DEBUG = False


def seed() -> None:
    from django.core.management import call_command

    with open(os.devnull, "w") as devnull:
        call_command("migrate", verbosity=0, interactive=False)
        call_command("seed_demo", stdout=devnull)


def discover_urls() -> list[tuple[str, str, bool]]:
    """(label, url, needs_login) for every page worth timing that exists in this build."""
    urls = [
        ("home", "/", False),
        ("pricing", "/pricing/", False),
        ("help index", "/help/", False),
        ("search", "/search/?q=gift", False),
        ("sitemap", "/sitemap.xml", False),
        ("healthz", "/healthz", False),
        ("dashboard", "/dashboard/", True),
        ("studio", "/studio/", True),
        ("storefront editor", "/dashboard/storefront/", True),
    ]
    try:
        from storefronts.models import Storefront

        live = Storefront.objects.filter(is_active=True).first()
        if live is not None:
            urls.insert(1, ("storefront (public)", live.get_absolute_url(), False))
    except ImportError:
        pass
    return urls


def measure(client, url: str, repeat: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm caches and templates
    times, queries, status = [], [], None
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        queries.append(len(ctx.captured_queries))
        status = response.status_code
    times.sort()
    return {
        "status": status,
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 2),
        "queries": max(queries),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    load = parser.add_argument_group("load benchmark (bench/load.py)")
    load.add_argument("--load", action="store_true", help="gunicorn + wrk on PostgreSQL")
    load.add_argument("--scale", type=int, default=1000, help="businesses to seed")
    load.add_argument("--duration", type=int, default=10, help="wrk seconds per URL")
    load.add_argument("--no-load", action="store_true", help="seed and time in-process only")
    load.add_argument("--keep-db", action="store_true", help="keep the scratch database")
    load.add_argument(
        "--reuse-db", action="store_true", help="use the database an earlier --keep-db run left"
    )
    load.add_argument("--write-docs", action="store_true", help="update docs/PERFORMANCE.md")
    load.add_argument(
        "--postgres",
        default=os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432"),
        help="PostgreSQL server URL (without a database name)",
    )
    load.add_argument(
        "--redis",
        default=os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/14"),
        help="Redis URL with a DB number of the benchmark's own (it is flushed)",
    )
    args = parser.parse_args()
    if args.load:
        from bench import load as load_bench

        return load_bench.main(args)

    with tempfile.TemporaryDirectory() as tmp:
        setup_django(str(Path(tmp) / "bench.sqlite3"))
        seed()
        from django.test import Client

        from accounts.models import Profile

        anonymous, owner = Client(), Client()
        demo = Profile.objects.select_related("user").first()
        if demo is not None:
            owner.force_login(demo.user)

        results = {}
        print(f"{'page':<22}{'url':<34}{'status':>7}{'median ms':>11}{'p95 ms':>9}{'queries':>9}")
        for label, url, needs_login in discover_urls():
            if needs_login and demo is None:
                continue
            try:
                row = measure(owner if needs_login else anonymous, url, args.repeat)
            except Exception as exc:  # noqa: BLE001 - a broken page is a row, not a crash
                print(f"{label:<22}{url[:33]:<34}  error: {exc!r}"[:140])
                continue
            results[label] = {"url": url, **row}
            print(
                f"{label:<22}{url[:33]:<34}{row['status']:>7}{row['median_ms']:>11}"
                f"{row['p95_ms']:>9}{row['queries']:>9}"
            )

    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
