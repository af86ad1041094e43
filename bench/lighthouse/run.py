"""Lighthouse (mobile) on the home page, pricing and a storefront in each theme: `make lighthouse`.

    make lighthouse        # or: .venv/bin/python bench/lighthouse/run.py [--keep-db]

Production-like, the way the load benchmark runs (bench/load.py): a scratch PostgreSQL
database (``mintkit_bench_lighthouse``) migrated and seeded with ``seed_demo`` (plus a logo
and a cover on the demo storefront, so its images count), ``collectstatic`` for whitenoise's
hashed and compressed files, gunicorn with ``bench.settings`` (production settings, DEBUG
off) on loopback, Redis for the cache. Then npm's ``lighthouse@12`` (installed here by
``npm install``; see package.json) drives Debian's Chromium (``CHROME_PATH``, default
/usr/bin/chromium) with its default mobile preset: a Moto G Power-sized screen, simulated
slow 4G and a 4x slower CPU.

Writes ``bench/results/lighthouse.json`` (every score and each audit that fell short) and the
"Lighthouse" section of docs/PERFORMANCE.md. Not part of `make test` or CI.
"""

import argparse
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import (  # noqa: E402 - after the path set-up above
    bench_env,
    drop_database,
    gunicorn,
    machine,
    recreate_database,
    write_between_markers,
    write_results,
)

DB_NAME = "mintkit_bench_lighthouse"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
THEMES = ["classic", "bold", "minimal", "warm"]
START, END = "<!-- lighthouse -->", "<!-- /lighthouse -->"


def lighthouse_binary() -> Path:
    binary = HERE / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        subprocess.run(  # noqa: S603 - fixed command line
            [shutil.which("npm") or "npm", "install", "--no-audit", "--no-fund"],
            cwd=HERE,
            check=True,
        )
    return binary


def demo_images() -> None:
    """A logo and a cover on the demo storefront, so the page's images are measured too."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from PIL import Image, ImageDraw

    from accounts.images import owner_image_save
    from storefronts.models import Storefront

    def upload(name, size, colour):
        image = Image.new("RGB", size, colour)
        draw = ImageDraw.Draw(image)
        for x in range(0, size[0], 60):
            draw.rectangle([x, 0, x + 30, size[1]], fill="#e9d8a6")
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=85)
        file = SimpleUploadedFile(f"{name}.jpg", buffer.getvalue(), content_type="image/jpeg")
        return owner_image_save(upload=file, title=name)

    storefront = Storefront.objects.filter(is_active=True).order_by("pk").first()
    storefront.logo = upload("demo-logo", (400, 400), "#0b6e4f")
    storefront.cover = upload("demo-cover", (2000, 600), "#2a7f62")
    storefront.save()


def warm(url: str) -> None:
    """Fetch the page and what it links to (its stylesheet, scripts, image renditions), so the
    measured run is no page's very first visit. Plain http, as Lighthouse asks: the page cache
    keys on the scheme."""
    with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - loopback
        html = response.read().decode()
    base = url.split("/", 3)[:3]
    for path in set(re.findall(r'(?:href|src)="(/(?:static|media)/[^"]+)"', html)):
        with urllib.request.urlopen("/".join(base) + path, timeout=60) as asset:  # noqa: S310
            asset.read()


def set_theme(theme: str) -> str:
    from storefronts.models import Storefront

    storefront = Storefront.objects.filter(is_active=True).order_by("pk").first()
    storefront.theme = theme
    storefront.save()  # bumps updated_at: the page cache moves on by itself
    return storefront.get_absolute_url()


def run_lighthouse(binary: Path, url: str, out: Path) -> dict:
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    command = [
        str(binary),
        url,
        "--output=json",
        f"--output-path={out}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        "--quiet",
    ]
    # Lighthouse now and then fails to record a trace ("NO_NAVSTART"): try such a run again.
    for attempt in range(3):
        done = subprocess.run(command, env=env, timeout=300, check=False)  # noqa: S603
        if done.returncode == 0:
            break
        print(f"  lighthouse exited {done.returncode} on {url}; attempt {attempt + 1} of 3")
    else:
        raise RuntimeError(f"lighthouse failed three times on {url}")
    report = json.loads(out.read_text())
    scores = {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}
    short = []
    for name in CATEGORIES:
        for ref in report["categories"][name]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                short.append(f"{name}: {audit['id']} ({audit['score']:.2f})")
    metrics = {
        key: report["audits"][key]["displayValue"]
        for key in (
            "first-contentful-paint",
            "largest-contentful-paint",
            "total-blocking-time",
            "cumulative-layout-shift",
            "speed-index",
        )
        if key in report["audits"]
    }
    transfer = report["audits"].get("total-byte-weight", {}).get("numericValue")
    return {
        "scores": scores,
        "short": short,
        "metrics": metrics,
        "transfer_kb": round(transfer / 1024, 1) if transfer else None,
        "lighthouse": report.get("lighthouseVersion"),
    }


def runs_shown(row: dict) -> str:
    return ", ".join(map(str, row.get("performance_runs", [row["scores"]["performance"]])))


def markdown(report: dict) -> str:
    runs = report.get("runs", 1)
    lines = [
        "## Lighthouse",
        "",
        f"`make lighthouse` ({report['finished_at']}, Lighthouse {report['lighthouse']}, "
        f"mobile preset with simulated throttling, Chromium {report['chromium']}, "
        f"{report['machine']['cpu']} × {report['machine']['cpus']}). Production settings, "
        "gunicorn, whitenoise, PostgreSQL and Redis on loopback; `seed_demo` data with a logo "
        f"and cover on the storefront. Each page run {runs} times, the median run shown (every "
        "run's performance score in brackets). Scores out of 100; JSON in "
        "`bench/results/lighthouse.json`.",
        "",
        "| page | performance | accessibility | best practices | SEO | LCP | TBT | CLS | bytes |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in report["pages"]:
        s, m = row["scores"], row["metrics"]
        lines.append(
            f"| {row['label']} | {s['performance']} ({runs_shown(row)}) | {s['accessibility']} | "
            f"{s['best-practices']} | {s['seo']} | {m.get('largest-contentful-paint', '—')} | "
            f"{m.get('total-blocking-time', '—')} | {m.get('cumulative-layout-shift', '—')} | "
            f"{row['transfer_kb']} KB |"
        )
    short = [(row["label"], item) for row in report["pages"] for item in row["short"]]
    if short:
        lines += ["", "Audits short of a full score (weighted ones only):", ""]
        lines += [f"- {label}: {item}" for label, item in short]
    return "\n".join(lines) + "\n"


def write_markdown(report: dict) -> Path:
    return write_between_markers(START, END, markdown(report))


def main(args) -> int:
    binary = lighthouse_binary()
    database_url = f"{args.postgres}/{DB_NAME}"
    env = bench_env(database_url=database_url, redis_url=args.redis)
    os.environ.update(env)
    recreate_database(server_url=args.postgres, name=DB_NAME)

    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection

    cache.clear()  # only this run's Redis DB
    with open(os.devnull, "w") as devnull:
        call_command("migrate", verbosity=0, interactive=False)
        call_command("seed_demo", stdout=devnull)
        call_command("collectstatic", interactive=False, verbosity=0, stdout=devnull)
    demo_images()
    chromium = subprocess.run(  # noqa: S603 - fixed command line
        [os.environ.get("CHROME_PATH", "/usr/bin/chromium"), "--version"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    report: dict = {
        "machine": machine(),
        "chromium": chromium.removeprefix("Chromium ").split()[0] if chromium else "?",
        "pages": [],
        "runs": args.runs,
    }
    connection.close()
    pages = [("home", "/"), ("pricing", "/pricing/")]
    themes = THEMES if not args.no_themes else ["classic"]
    with gunicorn(env) as base, tempfile.TemporaryDirectory() as tmp:
        for label, path in pages + [(f"storefront ({t})", t) for t in themes]:
            if path in THEMES:
                path = set_theme(path)
                connection.close()
            for _ in range(2):  # warm both workers and the page cache
                warm(f"{base}{path}")
            # Lighthouse's own advice on variance: several runs, the median one kept.
            runs = [
                run_lighthouse(binary, f"{base}{path}", Path(tmp) / "report.json")
                for _ in range(args.runs)
            ]
            runs.sort(key=lambda r: (r["scores"]["performance"], sum(r["scores"].values())))
            row = runs[len(runs) // 2]
            row["performance_runs"] = [r["scores"]["performance"] for r in runs]
            row.update(label=label, path=path)
            report["pages"].append(row)
            print(f"  {label:<22} {row['scores']}  {row['metrics']}", flush=True)
    report["lighthouse"] = report["pages"][0]["lighthouse"]
    report["finished_at"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    write_results(report, "lighthouse.json")
    print(f"wrote {write_markdown(report)}")
    print(markdown(report))
    if not args.keep_db:
        connection.close()
        drop_database(server_url=args.postgres, name=DB_NAME)
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432"),
    )
    parser.add_argument(
        "--redis", default=os.environ.get("BENCH_REDIS_LIGHTHOUSE", "redis://127.0.0.1:6379/13")
    )
    parser.add_argument("--runs", type=int, default=3, help="runs per page; the median is kept")
    parser.add_argument("--no-themes", action="store_true", help="the classic storefront only")
    parser.add_argument("--keep-db", action="store_true")
    sys.exit(main(parser.parse_args()))
