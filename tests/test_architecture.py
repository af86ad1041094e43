"""The floor plan: no import runs back up (README, "Where things are").

Ground floor: ``core`` and ``accounts``. Business apps: ``storefronts`` and ``billing`` on the
ground floor; ``notifications``, ``sales``, ``studio_sync``, ``home`` and ``search`` on the apps
they act on or show. Top:
``dashboard`` and the project package ``mintkit``, which compose the apps. An app that must
react to something below it connects to a signal (``accounts.events``, ``billing.signals``).

Every module of each app is read with ``ast`` (imports inside functions count too); tests and
migrations are left out. No app module grows past 400 lines: one that does holds two jobs.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# The project's apps an app may import; anything not listed runs back up.
ALLOWED = {
    "core": set(),
    "accounts": {"core"},
    "storefronts": {"core", "accounts"},
    "billing": {"core", "accounts"},
    "notifications": {"core", "accounts", "storefronts", "billing"},
    # Studio sales: tied to a business (billing's external id) and to its storefronts.
    "sales": {"core", "accounts", "storefronts", "billing"},
    # Tells MintKit Studio when an entitlement changes (it watches billing's rows).
    "studio_sync": {"core", "accounts", "billing"},
    # Wagtail hooks gather every app's admin menu; pages show plans and storefronts.
    "home": {"core", "accounts", "storefronts", "billing", "notifications", "sales", "studio_sync"},
    "search": {"core", "accounts", "storefronts", "home"},
    "dashboard": {"core", "accounts", "storefronts", "billing", "sales"},
    "stripe_emulator": set(),  # stands in for Stripe: knows nothing of the hub
}
PROJECT = set(ALLOWED) | {"mintkit"}

# Entry points that check the whole installation, above every app.
EXEMPT = {"core/management/commands/doctor.py"}  # checks the Stripe set-up through billing


def imported_apps(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found.update(name.split(".")[0] for name in names)
    return found & PROJECT


def app_modules(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        relative = path.relative_to(ROOT)
        if {"tests", "migrations"} & set(relative.parts) or relative.as_posix() in EXEMPT:
            continue
        yield relative


@pytest.mark.parametrize("app", sorted(ALLOWED))
def test_no_import_runs_back_up(app):
    wrong = [
        f"{module} imports {other}"
        for module in app_modules(app)
        for other in sorted(imported_apps(ROOT / module) - {app} - ALLOWED[app])
    ]
    assert not wrong, "\n".join(wrong)


def test_every_app_is_on_the_floor_plan():
    apps = {p.parent.name for p in ROOT.glob("*/apps.py")} | {"stripe_emulator"}
    assert apps <= PROJECT, f"not on the floor plan: {sorted(apps - PROJECT)}"


def test_the_rule_sees_an_upward_import(tmp_path):
    module = tmp_path / "views.py"
    module.write_text("def f():\n    from billing.services import x\nimport storefronts.models\n")
    assert imported_apps(module) == {"billing", "storefronts"}


MAX_MODULE_LINES = 400


@pytest.mark.parametrize("app", sorted(set(ALLOWED) | {"mintkit"}))
def test_no_app_module_is_over_400_lines(app):
    long = [
        f"{module}: {lines} lines"
        for module in app_modules(app)
        if (lines := len((ROOT / module).read_text().splitlines())) > MAX_MODULE_LINES
    ]
    assert not long, "split by job:\n" + "\n".join(long)
