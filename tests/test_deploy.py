"""The one-click Heroku deploy: app.json, the Procfile and bin/postdeploy agree with the code."""

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APP_JSON = json.loads((ROOT / "app.json").read_text())

# Read by a process's entry point rather than by the settings modules.
ENTRY_POINT_VARIABLES = {"DJANGO_SETTINGS_MODULE": ROOT / "manage.py"}


def _settings_variables() -> set[str]:
    """Every variable the settings read: through the env helpers or dj-database-url."""
    names = set()
    for module in (ROOT / "mintkit" / "settings").glob("*.py"):
        source = module.read_text()
        names |= set(re.findall(r"env_(?:str|bool|int|list|required)\(\s*\"([A-Z0-9_]+)\"", source))
        names |= set(re.findall(r"env=\"([A-Z0-9_]+)\"", source))
    return names


def _procfile_processes() -> dict[str, str]:
    lines = (ROOT / "Procfile").read_text().splitlines()
    return dict(line.split(":", 1) for line in lines if line.strip() and not line.startswith("#"))


def test_app_json_has_the_keys_heroku_needs():
    for key in (
        "name",
        "description",
        "repository",
        "keywords",
        "env",
        "addons",
        "formation",
        "buildpacks",
        "scripts",
    ):
        assert APP_JSON.get(key), key
    assert APP_JSON["repository"].startswith("https://github.com/")
    assert {"url": "heroku/python"} in APP_JSON["buildpacks"]
    plans = [addon["plan"] if isinstance(addon, dict) else addon for addon in APP_JSON["addons"]]
    for addon in ("heroku-postgresql", "heroku-redis", "scheduler"):
        assert any(plan.split(":")[0] == addon for plan in plans), addon


def test_every_env_var_has_a_description_and_is_read_by_the_code():
    read = _settings_variables()
    assert {"SECRET_KEY", "STRIPE_SECRET_KEY", "SENTRY_DSN"} <= read  # the parser works
    for name, spec in APP_JSON["env"].items():
        assert spec.get("description"), name
        if name in ENTRY_POINT_VARIABLES:
            assert name in ENTRY_POINT_VARIABLES[name].read_text()
        else:
            assert name in read, f"{name} is in app.json but no settings module reads it"


def test_secrets_are_generated_and_stripe_keys_required():
    env = APP_JSON["env"]
    for name in ("SECRET_KEY", "MINTKIT_SHARED_SECRET", "MINTKIT_API_KEY"):
        assert env[name].get("generator") == "secret", name
    for name in (
        "STRIPE_SECRET_KEY",
        "STRIPE_PUBLISHABLE_KEY",
        "STRIPE_WEBHOOK_SECRET",
        "ALLOWED_HOSTS",
    ):
        assert env[name].get("required") is True and "value" not in env[name], name
    optional = [n for n, spec in env.items() if spec.get("required") is False]
    assert optional and all("generator" not in env[n] for n in optional)


def test_every_formation_process_is_in_the_procfile():
    processes = _procfile_processes()
    assert set(APP_JSON["formation"]) == {"web", "worker"}
    assert set(APP_JSON["formation"]) <= set(processes)
    assert processes["worker"].strip() == "celery -A mintkit worker --beat --loglevel=info"
    assert "release" in processes and "migrate" in processes["release"]


def test_python_version_pin_is_one_heroku_reads():
    assert (ROOT / ".python-version").read_text().strip() == "3.11"


def test_readme_has_the_deploy_button():
    readme = (ROOT / "README.md").read_text()
    assert "https://www.herokucdn.com/deploy/button.svg" in readme
    assert f"https://heroku.com/deploy?template={APP_JSON['repository']}" in readme


def _postdeploy(tmp_path, *, has_stripe_setup: bool, env: dict) -> tuple[str, list[str]]:
    """Run bin/postdeploy with a stand-in ``python`` that records the commands it is given."""
    calls = tmp_path / "calls"
    fake = tmp_path / "python"
    fake.write_text(
        "#!/usr/bin/env bash\n"
        f'if [ "$2" = shell ]; then echo "$1 $2" >> {calls}; else echo "$*" >> {calls}; fi\n'
        f'if [ "$2 $3" = "help stripe_setup" ]; then exit {int(not has_stripe_setup)}; fi\n'
        "exit 0\n"
    )
    fake.chmod(0o755)
    clean = {
        k: v for k, v in os.environ.items() if k not in {"STRIPE_SECRET_KEY", "HEROKU_APP_NAME"}
    }
    result = subprocess.run(
        [str(ROOT / "bin" / "postdeploy")],
        cwd=ROOT,
        env={**clean, "PYTHON": str(fake), **env},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout, calls.read_text().splitlines()


@pytest.mark.parametrize("has_stripe_setup", [True, False])
def test_postdeploy_seeds_then_sets_stripe_up_with_the_apps_webhook_url(tmp_path, has_stripe_setup):
    out, calls = _postdeploy(
        tmp_path,
        has_stripe_setup=has_stripe_setup,
        env={
            "STRIPE_SECRET_KEY": "sk_test_x",
            "ALLOWED_HOSTS": "my-hub.herokuapp.com,www.example.com",
        },
    )
    assert calls[0] == "manage.py shell"
    if has_stripe_setup:
        assert calls[-1] == (
            "manage.py stripe_setup --webhook-url https://my-hub.herokuapp.com/billing/webhook/"
        )
    else:
        assert calls[-1] == "manage.py stripe_sync_plans"
        assert "no stripe_setup command" in out
        assert "https://my-hub.herokuapp.com/billing/webhook/" in out


def test_postdeploy_skips_stripe_without_a_key(tmp_path):
    out, calls = _postdeploy(tmp_path, has_stripe_setup=True, env={"ALLOWED_HOSTS": "a.example"})
    assert len(calls) == 1 and "skipping Stripe setup" in out
