"""Static bundles: several static files served as one.

``settings.STATIC_BUNDLES`` maps a bundle's static path to the static paths it joins, in
order. The public storefront uses it so its page has one render-blocking stylesheet (Bootstrap,
the storefront styles and the page's theme) instead of four requests.

``BundleFinder`` is a staticfiles finder: it builds each bundle from what the other finders
find into ``settings.STATIC_BUNDLE_ROOT`` (rebuilt whenever a source changes), so runserver,
the test server and ``collectstatic`` — and so whitenoise's hashed, compressed copies in
production — see a bundle like any other static file. Nothing generated is committed.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import Error
from django.core.files.storage import FileSystemStorage

# A source map comment points next to its own file; in a bundle it would point nowhere (and
# the manifest storage refuses a missing file), so it is left out.
_SOURCE_MAP = re.compile(r"/\*#\s*sourceMappingURL=[^*]*\*/")


def _find_source(path: str) -> str | None:
    for finder in finders.get_finders():
        if isinstance(finder, BundleFinder):
            continue
        found = finder.find(path)
        if found:
            return found if isinstance(found, str) else found[0]
    return None


def bundle_text(parts: list[str]) -> str:
    chunks = []
    for part in parts:
        source = _find_source(part)
        if source is None:
            raise FileNotFoundError(f"static bundle source {part!r} not found")
        text = _SOURCE_MAP.sub("", Path(source).read_text(encoding="utf-8")).strip()
        chunks.append(f"/* {part} */\n{text}\n")
    return "".join(chunks)


class BundleFinder(BaseFinder):
    # Read at each use, not kept from start-up, so a test's settings override takes effect.
    @property
    def root(self) -> Path:
        return Path(settings.STATIC_BUNDLE_ROOT)

    @property
    def storage(self) -> FileSystemStorage:
        return FileSystemStorage(location=str(self.root))

    def check(self, **kwargs):
        errors = []
        for bundle, parts in settings.STATIC_BUNDLES.items():
            missing = [part for part in parts if _find_source(part) is None]
            if missing:
                errors.append(
                    Error(f"static bundle {bundle!r}: no source {missing}", id="core.E101")
                )
        return errors

    def _build(self, bundle: str) -> str:
        target = self.root / bundle
        text = bundle_text(settings.STATIC_BUNDLES[bundle])
        if target.exists() and target.read_text(encoding="utf-8") == text:
            return str(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        # Written aside and moved into place: a concurrent request never reads half a file.
        fd, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
        return str(target)

    def find(self, path, find_all=False, **kwargs):
        if path not in settings.STATIC_BUNDLES:
            return []  # what Django's own finders answer for "not here", whatever find_all says
        built = self._build(path)
        return [built] if find_all or kwargs.get("all") else built

    def list(self, ignore_patterns):
        for bundle in settings.STATIC_BUNDLES:
            self._build(bundle)
            yield bundle, self.storage
