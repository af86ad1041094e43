"""Command line: ``python -m stripe_emulator --port 12111 --webhook-url URL``."""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys

from .billing import DRAFT_DELAY, SMART_RETRY_DAYS
from .objects import API_VERSION
from .server import EmulatorServer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m stripe_emulator", description="Local stateful Stripe API emulator."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=12111)
    parser.add_argument(
        "--webhook-url", default=None, help="where events are POSTed (none: events are only stored)"
    )
    parser.add_argument("--webhook-secret", default="whsec_emulator")
    parser.add_argument(
        "--state-file", default=None, help="persist state as JSON here and reload it on start"
    )
    parser.add_argument(
        "--failed-payment-policy",
        choices=("cancel", "unpaid"),
        default="cancel",
        help="what happens after the last failed payment retry",
    )
    parser.add_argument(
        "--webhook-retry-delay",
        type=float,
        default=1.0,
        help="base delay in seconds of the exponential webhook back-off",
    )
    parser.add_argument("--webhook-max-attempts", type=int, default=5)
    parser.add_argument(
        "--payment-retry-days",
        default=",".join(str(d) for d in SMART_RETRY_DAYS),
        help="failed-payment retries, days after the first failure (default: Smart Retries' "
        "8 attempts within 2 weeks)",
    )
    parser.add_argument(
        "--draft-invoice-delay",
        type=int,
        default=DRAFT_DELAY,
        help="seconds a renewal invoice stays draft before it is finalized and charged",
    )
    parser.add_argument(
        "--no-default-portal-configuration",
        action="store_true",
        help="start without a default customer portal configuration (portal sessions then "
        "need `configuration`, as in an account whose portal settings were never saved)",
    )
    parser.add_argument(
        "--chaos",
        action="store_true",
        help="deliver webhooks like Stripe may: out of order, duplicated, concurrently",
    )
    parser.add_argument(
        "--chaos-seed", type=int, default=None, help="seed of the chaos mode's randomness"
    )
    parser.add_argument("--verbose", "-v", action="store_true", help="log every request")
    args = parser.parse_args(argv)
    try:
        retry_days = tuple(int(d) for d in args.payment_retry_days.split(",") if d.strip())
    except ValueError:
        parser.error("--payment-retry-days: comma-separated whole days, e.g. 2,4,6")
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="[stripe-emulator] %(message)s",
    )
    emu = EmulatorServer(
        host=args.host,
        port=args.port,
        webhook_url=args.webhook_url,
        webhook_secret=args.webhook_secret,
        state_file=args.state_file,
        failed_payment_policy=args.failed_payment_policy,
        retry_base_delay=args.webhook_retry_delay,
        max_webhook_attempts=args.webhook_max_attempts,
        payment_retry_days=retry_days,
        draft_invoice_delay=args.draft_invoice_delay,
        default_portal_configuration=not args.no_default_portal_configuration,
        verbose=args.verbose,
        chaos=args.chaos,
        chaos_seed=args.chaos_seed,
    )
    try:
        emu.bind()
    except OSError as exc:
        print(f"stripe-emulator: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    print(
        f"Stripe emulator on {emu.url} (API {API_VERSION}); webhooks -> "
        f"{args.webhook_url or 'none'}{' (chaos)' if args.chaos else ''}; "
        f"state {args.state_file or 'in memory'}",
        flush=True,
    )
    with contextlib.suppress(KeyboardInterrupt):
        emu.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
