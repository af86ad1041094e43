"""``python manage.py doctor``: the production checks in one place.

Prints one line per check — Django's deploy checks, database, cache/Redis, broker, migrations,
the Stripe keys' mode, the Stripe webhook endpoint and customer-portal configuration, the
worker's heartbeat — and exits 1 when any failed. It never stops at the first failure and
never crashes on one: a check that cannot run says "cannot check" and why.
"""

from __future__ import annotations

from django.conf import settings
from django.core import checks
from django.core.management.base import BaseCommand
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor

from core.health import Probe, broker_probe, cache_probe, database_probe, worker_heartbeat

WEBHOOK_PATH = "/billing/webhook/"


def deploy_probe() -> Probe:
    messages = [
        m
        for m in checks.run_checks(include_deployment_checks=True)
        if m.level >= checks.WARNING and not m.is_silenced()
    ]
    if not messages:
        return Probe(True, "no issues (check --deploy)")
    ids = ", ".join(sorted({m.id or m.msg[:40] for m in messages}))
    return Probe(False, f"{len(messages)} issue(s): {ids} (run check --deploy for details)")


def migrations_probe() -> Probe:
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as exc:
        return Probe(False, f"cannot check ({exc.__class__.__name__})")
    if not plan:
        return Probe(True, "all applied")
    names = ", ".join(f"{m.app_label}.{m.name}" for m, _ in plan[:3])
    more = f" and {len(plan) - 3} more" if len(plan) > 3 else ""
    return Probe(False, f"{len(plan)} unapplied: {names}{more} (run migrate)")


def _mode(key: str, prefixes: tuple[str, ...]) -> str | None:
    for prefix in prefixes:
        for mode in ("test", "live"):
            if key.startswith(f"{prefix}_{mode}_"):
                return mode
    return None


def stripe_mode_probe() -> Probe:
    secret = _mode(settings.STRIPE_SECRET_KEY or "", ("sk", "rk"))
    public = _mode(settings.STRIPE_PUBLISHABLE_KEY or "", ("pk",))
    if secret is None or public is None:
        return Probe(False, "a key is not a Stripe test or live key (sk_/rk_ and pk_)")
    if secret != public:
        return Probe(False, f"secret key is {secret} mode but publishable key is {public} mode")
    base = f", API base {settings.STRIPE_API_BASE}" if settings.STRIPE_API_BASE else ""
    return Probe(True, f"{secret} mode{base}")


def _stripe_call(call):
    """(result, None) or (None, "cannot check (…)") when Stripe cannot answer."""
    from billing import stripe_client

    try:
        return call(stripe_client.client()), None
    except stripe_client.StripeError as exc:
        status = getattr(exc, "http_status", None)
        reason = f"HTTP {status}" if status else exc.__class__.__name__
        return None, f"cannot check ({reason})"


def stripe_webhook_probe() -> Probe:
    """The hub's webhook endpoint (``stripe_setup``'s, else one ending in ``WEBHOOK_PATH``):
    enabled, on the pinned API version, with exactly the events the hub handles."""
    from billing import setup

    endpoints, problem = _stripe_call(
        lambda c: [e.to_dict() for e in c.v1.webhook_endpoints.list(params={"limit": 100}).data]
    )
    if problem:
        return Probe(False, problem)
    ours = [e for e in endpoints if (e.get("url") or "").endswith(WEBHOOK_PATH)]
    ours.sort(
        key=lambda e: (
            (e.get("metadata") or {}).get(setup.HUB_METADATA_KEY) != setup.WEBHOOK_METADATA_VALUE
        )
    )
    if not ours:
        return Probe(False, f"not found (no endpoint ending in {WEBHOOK_PATH}; run stripe_setup)")
    endpoint = ours[0]
    problems = setup.webhook_endpoint_problems(endpoint)
    if problems:
        return Probe(False, f"{endpoint['url']}: {'; '.join(problems)} (run stripe_setup)")
    events = endpoint.get("enabled_events") or []
    return Probe(
        True,
        f"{endpoint['url']} (enabled, {len(events)} event types, API {endpoint['api_version']})",
    )


def stripe_portal_probe() -> Probe:
    """The hub's own portal configuration (metadata ``mintkit_hub=portal``), which every
    portal session names; without it sessions fall back to the account's default."""
    from billing import setup

    configuration, problem = _stripe_call(lambda c: setup.portal_configuration_find())
    if problem:
        return Probe(False, problem)
    if configuration is None:
        return Probe(
            False,
            "not found (no active configuration of the hub's; portal sessions use the "
            "account's default; run stripe_setup)",
        )
    return Probe(True, f"{configuration['id']} (the hub's)")


class Command(BaseCommand):
    help = "Print the production checks in one place; exit 1 when any failed."

    def handle(self, *args, **options):
        broker = broker_probe()
        results = [
            ("deploy checks", deploy_probe()),
            ("database", database_probe()),
            ("cache", cache_probe()),
            ("broker", broker or Probe(True, "not configured (tasks run eagerly in-process)")),
            ("migrations", migrations_probe()),
            ("Stripe keys", stripe_mode_probe()),
            ("Stripe webhook endpoint", stripe_webhook_probe()),
            ("Stripe portal configuration", stripe_portal_probe()),
            ("worker", worker_heartbeat()),
        ]
        self.stdout.write(f"MintKit Hub doctor ({settings.SETTINGS_MODULE})")
        for name, probe in results:
            mark = self.style.SUCCESS("ok  ") if probe.ok else self.style.ERROR("FAIL")
            self.stdout.write(f"[{mark}] {name}: {probe.detail}")
        failed = [name for name, probe in results if not probe.ok]
        if failed:
            self.stdout.write(self.style.ERROR(f"{len(failed)} problem(s): {', '.join(failed)}"))
            raise SystemExit(1)
        self.stdout.write(self.style.SUCCESS("All checks passed."))
