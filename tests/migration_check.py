"""Running a migration check on a database of its own.

Migrating the test database back and forth would need a transactional test, whose flush breaks
the tests after it; so a test hands a short script (``django.setup()``, migrate to the state
before, create rows with the historical models, migrate forward, assert, print a last line) to
a fresh Python process on a new SQLite database under ``tmp_path``.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_on_own_database(script: str, database: Path) -> str:
    """Runs ``script`` with the test settings on the SQLite file ``database``; fails the test
    with the end of its stderr if it fails, and returns what it printed."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mintkit.settings.test",
        "DATABASE_URL": f"sqlite:///{database}",
    }
    result = subprocess.run(  # noqa: S603 - this interpreter, the test's own script
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout
