"""Loads docs/examples/verify_studio_webhook.py — the sample the docs give the Studio — so the
tests run the very file a reader copies (it is not a package: docs/ is not importable)."""

import importlib.util
from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "verify_studio_webhook.py"

_spec = importlib.util.spec_from_file_location("verify_studio_webhook", SAMPLE)
assert _spec is not None and _spec.loader is not None
sample = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sample)

verify_studio_webhook = sample.verify_studio_webhook
StudioWebhookError = sample.StudioWebhookError
