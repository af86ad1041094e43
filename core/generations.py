"""Cache generations: tokens that retire, at once, everything stored under them.

The *site generation* versions every stored hub page and the render fragments
(core/pagecache.py, core/sitecache.py); home/signals.py replaces it whenever something every
page shows changes. Narrower ones (search's) work the same way. A stamp also carries the
*release*, so what one deploy stored is never served by the next.
"""

from __future__ import annotations

import functools
import hashlib
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest

GENERATION_KEY = "pagecache:generation"


def _source_folders(base_dir: Path) -> list[Path]:
    """The project's own code and templates: its apps, the package holding the settings
    and URLs, and the template folders — never a virtualenv or the platform's Python."""
    from django.apps import apps

    folders = {Path(config.path) for config in apps.get_app_configs()}
    folders.add(Path(__import__(settings.ROOT_URLCONF.split(".")[0]).__file__).parent)
    folders.update(Path(folder) for folder in settings.TEMPLATES[0].get("DIRS", ()))
    return sorted(
        folder
        for folder in folders
        if folder.is_relative_to(base_dir)
        and folder != base_dir
        and not any(
            part.startswith(".") or part == "site-packages"  # a virtualenv inside the project
            for part in folder.relative_to(base_dir).parts
        )
    )


def _source_hash(base_dir: Path) -> str:
    digest = hashlib.sha256()
    # The pinned dependencies: an upgrade alone can change what a page renders.
    requirements = base_dir / "requirements.txt"
    if requirements.exists():
        digest.update(requirements.read_bytes())
    for folder in _source_folders(base_dir):
        for path in sorted(folder.rglob("*")):
            if path.suffix in (".py", ".html") and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(base_dir)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@functools.lru_cache(maxsize=4)
def _release(configured: str, static_root: str, base_dir: str) -> str:
    manifest = Path(static_root) / "staticfiles.json"
    try:
        static = hashlib.sha256(manifest.read_bytes()).hexdigest()[:16]
    except OSError:  # no collectstatic manifest (development, tests)
        static = ""
    # The deployed commit when the platform says it; else the code and templates themselves
    # (read once per process: about 600 files).
    code = configured or _source_hash(Path(base_dir))
    return f"{code}/{static}"


def release() -> str:
    """The running code, as far as a stored page depends on it: the deployed commit
    (``PAGE_CACHE_RELEASE``: Heroku's ``SOURCE_VERSION`` or ``HEROKU_SLUG_COMMIT``; without
    one, a hash of the project's Python files, templates and pinned requirements) and a hash
    of the static files' manifest (their hashed names). Pages and fragments a release stored
    are never served by the next one: their HTML comes from its templates and links to its
    CSS and JS by name."""
    return _release(settings.PAGE_CACHE_RELEASE, str(settings.STATIC_ROOT), str(settings.BASE_DIR))


def _scoped(token: str | None) -> str | None:
    return None if token is None else f"{release()}:{token}"


def generation(key: str = GENERATION_KEY) -> str:
    """The current token of a cache generation (the site's, or a narrower one like search's)."""
    token = cache.get(key)
    if token is None:
        cache.add(key, uuid.uuid4().hex, timeout=None)
        token = cache.get(key)
    return token


def site_generation() -> str:
    """The site generation as stamps use it: the cached token, scoped to this release."""
    return _scoped(generation(GENERATION_KEY))


_REQUEST_GENERATION = "_mintkit_site_generation"


def request_site_generation(request: HttpRequest) -> str:
    """The site generation for this request: read once, then kept on the request (a page
    cache lookup keeps the one it read with the page)."""
    token = getattr(request, _REQUEST_GENERATION, None)
    if token is None:
        token = site_generation()
        setattr(request, _REQUEST_GENERATION, token)
    return token


def _new_generation(key: str = GENERATION_KEY) -> None:
    cache.set(key, uuid.uuid4().hex, timeout=None)


def generation_bump(key: str) -> None:
    """Retire every page cached under generation ``key``: now, and again after the commit
    (a page another request renders from the old rows meanwhile goes stale with the second)."""
    _new_generation(key)
    transaction.on_commit(lambda: _new_generation(key))


def site_generation_bump(**_signal_kwargs) -> None:
    """Make every cached page stale (they age out of the cache by their timeout)."""
    generation_bump(GENERATION_KEY)
