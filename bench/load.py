"""``bench/run.py --load --scale N``: the site under load, the way it runs in production.

1. creates a scratch PostgreSQL database ``mintkit_bench_<N>`` (dropped first if it exists),
   migrates it and runs ``seed_demo``;
2. seeds N businesses with ``bench/seed_load.py`` (bulk inserts) and builds the search index;
3. times search and the sitemaps in-process (Django's test client, cold and warm);
4. starts gunicorn (2 sync workers, ``bench.settings`` = production settings plus a bare view)
   on loopback with the Redis cache on its own DB number, and loads each URL with ``wrk``
   (``-t2 -c16``, ``--duration`` seconds each);
5. prints a table and writes ``bench/results/load-<N>.json`` and a Markdown table into
   ``docs/PERFORMANCE.md`` (between ``<!-- bench-load N=… -->`` markers).
"""

import hashlib
import hmac
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote_plus

import stripe

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
WEBHOOK_SECRET = "whsec_bench_only"


def bench_env(*, database_url: str, redis_url: str) -> dict:
    return {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "SECRET_KEY": "bench-only-" + hashlib.sha256(database_url.encode()).hexdigest(),
        "DATABASE_URL": database_url,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "REDIS_URL": redis_url,
        "STRIPE_SECRET_KEY": "sk_test_bench_only",
        "STRIPE_PUBLISHABLE_KEY": "pk_test_bench_only",
        "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "STRIPE_API_BASE": "http://127.0.0.1:9",  # never reached: nothing in the run calls Stripe
        "MINTKIT_SHARED_SECRET": "bench-only-shared-secret-0123456789abcdef",
        "MINTKIT_API_KEY": "bench-only-api-key-0123456789",
        "SECURE_SSL_REDIRECT": "false",  # plain HTTP on loopback; wrk sends X-Forwarded-Proto
        "LOG_LEVEL": "WARNING",
    }


def machine() -> dict:
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            mem_kb = int(line.split()[1])
    return {
        "host": platform.node(),
        "cpu": cpu,
        "cpus": os.cpu_count(),
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
    }


def uptime() -> str:
    command = [shutil.which("uptime") or "/usr/bin/uptime"]
    return subprocess.run(command, capture_output=True, text=True).stdout.strip()  # noqa: S603


def _on_server(server_url: str, *statements: str) -> None:
    import psycopg2

    conn = psycopg2.connect(f"{server_url}/postgres")
    conn.autocommit = True
    with conn.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    conn.close()


def recreate_database(*, server_url: str, name: str) -> None:
    assert name.startswith("mintkit_bench_"), name
    _on_server(
        server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'
    )


def drop_database(*, server_url: str, name: str) -> None:
    assert name.startswith("mintkit_bench_"), name
    _on_server(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def timed(label: str, results: dict, func, *args, **kwargs):
    start = time.perf_counter()
    value = func(*args, **kwargs)
    results[label] = round(time.perf_counter() - start, 2)
    print(f"{label}: {results[label]} s", flush=True)
    return value


def prepare(*, scale: int, timings: dict) -> dict:
    """Migrate, seed and index; returns the sample storefronts."""
    from django.core.management import call_command

    from bench.seed_load import seed_businesses
    from search.indexing import rebuild_storefront_index

    with open(os.devnull, "w") as devnull:
        timed("migrate_s", timings, call_command, "migrate", verbosity=0, interactive=False)
        timed("seed_demo_s", timings, call_command, "seed_demo", stdout=devnull)
        # Production settings serve hashed static files: pages need the manifest.
        timed(
            "collectstatic_s",
            timings,
            call_command,
            "collectstatic",
            interactive=False,
            verbosity=0,
            stdout=devnull,
        )
    samples = timed("seed_businesses_s", timings, seed_businesses, count=scale, stdout=sys.stdout)
    timings["search_index_rows"] = timed("search_index_s", timings, rebuild_storefront_index)

    from django.db import connection

    def analyse():
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")

    timed("vacuum_analyze_s", timings, analyse)
    from billing.models import Subscription
    from storefronts.models import Offer, OpeningHours, SpecialDate, Storefront

    timings["rows"] = {
        model.__name__: model.objects.count()
        for model in (Storefront, Offer, OpeningHours, SpecialDate, Subscription)
    }
    timings["subscription_statuses"] = sorted(
        set(Subscription.objects.values_list("status", flat=True))
    )
    print(f"rows: {timings['rows']}", flush=True)
    return samples


def existing_samples(*, scale: int) -> dict:
    from storefronts.models import Storefront

    seeded = Storefront.objects.filter(profile__user__email__endswith="@bench.mintkit.test")
    ordered = seeded.order_by("pk")
    punctuated = scale // 2 - (scale // 2) % 3
    picks = {
        "first": ordered.first(),
        "middle": ordered[scale // 2],
        "last": ordered.last(),
        "punctuated": ordered[punctuated],
    }
    return {
        key: {"name": shop.name, "slug": shop.slug, "url": shop.get_absolute_url()}
        for key, shop in picks.items()
    }


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))]


def in_process(*, searches: list[tuple[str, str]], repeat: int) -> dict:
    """Search and sitemap timings through Django's test client (no network, no gunicorn)."""
    import re

    from django.core.cache import cache
    from django.test import Client

    client = Client()
    out: dict = {"search": {}, "sitemap": {}}
    for label, url in searches:
        start = time.perf_counter()
        first = client.get(url)
        cold_ms = (time.perf_counter() - start) * 1000
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        total = re.search(r"([\d,]+) results? for", response.content.decode())
        out["search"][label] = {
            "url": url,
            "status": first.status_code,
            "results": total.group(1) if total else "0",
            "cold_ms": round(cold_ms, 1),
            "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(percentile(times, 95), 1),
            "max_ms": round(max(times), 1),
        }
        print(f"  in-process {label:<28} {out['search'][label]}", flush=True)

    cache.clear()
    start = time.perf_counter()
    index = client.get("/sitemap.xml")
    out["sitemap"]["/sitemap.xml"] = {
        "status": index.status_code,
        "cold_ms": round((time.perf_counter() - start) * 1000, 1),
        "bytes": len(index.content),
    }
    for loc in re.findall(r"<loc>([^<]+)</loc>", index.content.decode()):
        path = "/" + loc.split("/", 3)[3]
        start = time.perf_counter()
        response = client.get(path)
        cold_ms = (time.perf_counter() - start) * 1000
        start = time.perf_counter()
        client.get(path)
        warm_ms = (time.perf_counter() - start) * 1000
        out["sitemap"][path] = {
            "status": response.status_code,
            "cold_ms": round(cold_ms, 1),
            "cached_ms": round(warm_ms, 1),
            "bytes": len(response.content),
            "urls": response.content.count(b"<url>"),
        }
        print(f"  in-process {path:<28} {out['sitemap'][path]}", flush=True)
    return out


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"gunicorn did not answer {url} within {timeout} s")


@contextmanager
def gunicorn(env: dict, *options: str) -> Iterator[str]:
    """The site under gunicorn (two workers) on a free loopback port, with ``env`` on top of
    this process's environment; yields its base URL once ``/healthz`` answers, stops it after."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(  # noqa: S603 - our own fixed command line
        [
            str(VENV_BIN / "gunicorn"),
            "mintkit.wsgi:application",
            "--workers=2",
            *options,
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env={**os.environ, **env},
    )
    try:
        wait_for(f"{base}/healthz")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def signed_webhook(path: Path) -> str:
    payload = json.dumps(
        {
            "id": "evt_bench_load",
            "object": "event",
            "type": "customer.created",
            "created": int(time.time()),
            "livemode": False,
            "api_version": stripe.api_version,  # the hub refuses another version's events
            "data": {"object": {"id": "cus_bench_load", "object": "customer"}},
        }
    )
    path.write_text(payload)
    timestamp = int(time.time())
    signature = hmac.new(
        WEBHOOK_SECRET.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256
    ).hexdigest()
    return f"t={timestamp},v1={signature}"


def run_wrk(*, wrk: str, url: str, duration: int, env: dict) -> dict:
    command = [wrk, "-t2", "-c16", f"-d{duration}s", "--timeout", "30s"]
    command += ["-s", str(ROOT / "bench" / "wrk.lua"), url]
    result = subprocess.run(  # noqa: S603 - our own fixed command line
        command, capture_output=True, text=True, env={**os.environ, **env}, timeout=duration + 60
    )
    for line in result.stdout.splitlines():
        if line.startswith("WRKJSON "):
            return json.loads(line[len("WRKJSON ") :])
    raise RuntimeError(f"wrk gave no summary: {result.stdout} {result.stderr}")


def markdown(report: dict) -> str:
    m, t = report["machine"], report["timings"]
    lines = [
        f"### N = {report['scale']:,} businesses — {report['finished_at']}",
        "",
        f"Machine: {m['cpu']}, {m['cpus']} CPUs, {m['memory_gb']} GB, {m['os']}, "
        f"Python {m['python']}, {report['postgres']}. Shared with other work: "
        f"`{report['uptime_before']}` before, `{report['uptime_after']}` after.",
        "",
        f"Setup: migrate {t['migrate_s']} s, seed_demo {t['seed_demo_s']} s, "
        f"seeding {report['scale']:,} businesses {t['seed_businesses_s']} s, "
        f"search index {t['search_index_s']} s ({t['search_index_rows']:,} rows), "
        f"VACUUM ANALYZE {t.get('vacuum_analyze_s', t.get('analyze_s'))} s. Rows: "
        + ", ".join(f"{k} {v:,}" for k, v in t["rows"].items())
        + f"; subscription statuses: {', '.join(t['subscription_statuses'])}.",
        "",
    ]
    if t.get("reused_database"):
        lines[-2] += " (Seeded by an earlier run; this run reused its database.)"
    if report["load"]:
        lines += [
            f"Under load: gunicorn 2 sync workers, `wrk -t2 -c16 -d{report['duration']}s`, "
            "loopback, Redis cache. Ratios are req/s divided by the static file's and the bare "
            "view's req/s in the same run.",
            "",
            "| URL | status | req/s | p50 ms | p95 ms | p99 ms | ÷ static | ÷ bare view | errors |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for row in report["load"]:
            lines.append(
                f"| {row['label']} (`{row['path'][:60]}`) | {row['status']} | {row['rps']:.1f} | "
                f"{row['p50_ms']:.1f} | {row['p95_ms']:.1f} | {row['p99_ms']:.1f} | "
                f"{row['ratio_static']:.3f} | {row['ratio_bare']:.3f} | "
                f"{row['non_2xx_3xx'] + row['socket_errors']} |"
            )
        lines.append("")
    lines += [
        "In-process (Django test client, same database; no network, no gunicorn):",
        "",
        "| search | results | cold ms | p50 ms | p95 ms |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, row in report["in_process"]["search"].items():
        lines.append(
            f"| {label} (`{row['url'][:60]}`) | {row['results']} | {row['cold_ms']} | "
            f"{row['p50_ms']} | {row['p95_ms']} |"
        )
    lines += [
        "",
        "| sitemap file | URLs | bytes | cold ms | cached ms |",
        "|---|---:|---:|---:|---:|",
    ]
    for path, row in report["in_process"]["sitemap"].items():
        lines.append(
            f"| `{path}` | {row.get('urls', '—')} | {row['bytes']:,} | {row['cold_ms']} | "
            f"{row.get('cached_ms', '—')} |"
        )
    return "\n".join(lines) + "\n"


def write_between_markers(start: str, end: str, body: str) -> Path:
    """Puts ``body`` between the ``start`` and ``end`` markers of docs/PERFORMANCE.md, replacing
    what stood there; appends the markers and ``body`` when the file lacks them."""
    path = ROOT / "docs" / "PERFORMANCE.md"
    block = f"{start}\n{body}{end}"
    text = path.read_text() if path.exists() else "# Performance\n"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        text = before + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text)
    return path


def write_results(report: dict, name: str) -> Path:
    """The whole report as JSON in ``bench/results/<name>`` (ignored by git)."""
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    path = out / name
    path.write_text(json.dumps(report, indent=2, default=str))
    return path


def write_markdown(report: dict) -> Path:
    return write_between_markers(
        f"<!-- bench-load N={report['scale']} -->",
        f"<!-- /bench-load N={report['scale']} -->",
        markdown(report),
    )


def main(args) -> int:
    scale, duration = args.scale, args.duration
    wrk = shutil.which("wrk")
    if wrk is None and not args.no_load:
        print("wrk is missing: sudo apt-get install -y wrk (or pass --no-load)", file=sys.stderr)
        return 2
    db_name = f"mintkit_bench_{scale}"
    database_url = f"{args.postgres}/{db_name}"
    env = bench_env(database_url=database_url, redis_url=args.redis)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    report: dict = {
        "scale": scale,
        "duration": duration,
        "machine": machine(),
        "uptime_before": uptime(),
        "timings": {},
        "load": [],
    }
    print(f"bench-load N={scale:,} on {db_name}; {report['uptime_before']}", flush=True)
    previous = ROOT / "bench" / "results" / f"load-{scale}.json"
    if not args.reuse_db:
        recreate_database(server_url=args.postgres, name=db_name)

    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.templatetags.static import static
    from django.test import Client

    from accounts.models import User
    from home.models import HelpPage

    cache.clear()  # only this run's Redis DB
    if args.reuse_db:
        # A database seeded by an earlier run (--keep-db): bring its schema up to date and
        # keep that run's setup timings.
        call_command("migrate", verbosity=0, interactive=False)
        with open(os.devnull, "w") as devnull:
            call_command("collectstatic", interactive=False, verbosity=0, stdout=devnull)
        report["timings"] = json.loads(previous.read_text())["timings"]
        report["timings"]["reused_database"] = True
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        samples = existing_samples(scale=scale)
    else:
        samples = prepare(scale=scale, timings=report["timings"])
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        report["postgres"] = f"PostgreSQL {cursor.fetchone()[0]}"
    exact = samples["punctuated"]["name"]
    searches = [
        ("search: common word", "/search/?q=salon"),
        ("search: rare word", "/search/?q=quillwort"),
        ("search: exact name", f"/search/?q={quote_plus(exact)}"),
        ("search: no hits", "/search/?q=zzxqv+nothing"),
        ("search: two words", "/search/?q=salon+yoga"),
    ]
    report["in_process"] = in_process(searches=searches, repeat=args.repeat)

    if not args.no_load:
        owner = User.objects.get(email="demo@mintkit.test")
        login = Client()
        login.force_login(owner)
        cookie = f"sessionid={login.cookies['sessionid'].value}"
        article = HelpPage.objects.live().order_by("path").first()
        urls = [
            ("static file", static("css/site.css"), {}),
            ("bare HttpResponse view", "/_bench/bare", {}),
            ("/healthz", "/healthz", {}),
            ("home", "/", {}),
            ("pricing", "/pricing/", {}),
            ("help article", article.get_url(), {}),
            *[(label, url, {}) for label, url in searches[:4]],
            ("storefront: first", samples["first"]["url"], {}),
            ("storefront: middle", samples["middle"]["url"], {}),
            ("storefront: last", samples["last"]["url"], {}),
            # Uncached: any query parameter but a tracking tag bypasses the page cache, so
            # every request renders (from the page parts and site caches, as a logged-in
            # visitor's does); "cold" asks for a different storefront each request.
            ("home, page cache bypassed", "/" + UNCACHED, {}),
            ("storefront: middle, page cache bypassed", samples["middle"]["url"] + UNCACHED, {}),
            ("storefront: cold, each request another", samples["middle"]["url"], {"cold": True}),
            ("sitemap index", "/sitemap.xml", {}),
            ("dashboard (logged in)", "/dashboard/", {"WRK_COOKIE": cookie}),
            ("Studio (logged in)", "/studio/", {"WRK_COOKIE": cookie}),
            ("signed webhook", "/billing/webhook/", {"WRK_METHOD": "POST"}),
        ]
        connection.close()
        with (
            gunicorn(env, "--worker-class=sync", "--timeout=30") as base,
            tempfile.TemporaryDirectory() as tmp,
        ):
            body = Path(tmp) / "webhook.json"
            paths = Path(tmp) / "paths.txt"
            for label, path, extra in urls:
                if extra.pop("cold", False):
                    paths.write_text("\n".join(storefront_paths(connection)) + "\n")
                    extra = {**extra, "WRK_PATHS_FILE": str(paths)}
                if extra.get("WRK_METHOD") == "POST":
                    extra = {**extra, "WRK_BODY_FILE": str(body)}
                    extra["WRK_SIGNATURE"] = signed_webhook(body)
                # Warm both workers (templates, connections, the page cache if any).
                status = None
                for _ in range(4):
                    status = warm(f"{base}{path}", extra)
                row = run_wrk(wrk=wrk, url=f"{base}{path}", duration=duration, env=extra)
                row.update(label=label, path=path, status=status)
                report["load"].append(row)
                print(
                    f"  {label:<26} {status} {row['rps']:>8.1f} req/s  p50 {row['p50_ms']:.1f}"
                    f"  p95 {row['p95_ms']:.1f}  p99 {row['p99_ms']:.1f} ms"
                    f"  errors {row['non_2xx_3xx'] + row['socket_errors']}",
                    flush=True,
                )
        static_rps = report["load"][0]["rps"] or 1
        bare_rps = report["load"][1]["rps"] or 1
        for row in report["load"]:
            row["ratio_static"] = row["rps"] / static_rps
            row["ratio_bare"] = row["rps"] / bare_rps

    report["uptime_after"] = uptime()
    report["finished_at"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    write_results(report, f"load-{scale}.json")
    if args.write_docs:
        print(f"wrote {write_markdown(report)}")
    print(markdown(report))
    if not args.keep_db:
        connection.close()
        drop_database(server_url=args.postgres, name=db_name)
    return 0


UNCACHED = "?bench=uncached"


def storefront_paths(connection) -> list[str]:
    """Every published storefront's path, shuffled over the table (by the slug's md5) so
    consecutive requests never read neighbouring rows."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT slug FROM storefronts_storefront WHERE is_active ORDER BY md5(slug)")
        slugs = [row[0] for row in cursor.fetchall()]
    connection.close()
    return [f"/storefront/{slug}/" for slug in slugs]


def warm(url: str, extra: dict) -> int:
    headers = {"X-Forwarded-Proto": "https"}
    data = None
    if extra.get("WRK_COOKIE"):
        headers["Cookie"] = extra["WRK_COOKIE"]
    if extra.get("WRK_METHOD") == "POST":
        data = Path(extra["WRK_BODY_FILE"]).read_bytes()
        headers["Stripe-Signature"] = extra["WRK_SIGNATURE"]
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=data, headers=headers)  # noqa: S310 - loopback
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
