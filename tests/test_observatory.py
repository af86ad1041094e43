"""The production headers, scored the way Mozilla's HTTP Observatory scores a site.

The scorer below follows the Observatory's published methodology (mozilla/http-observatory,
httpobs/docs/scoring.md, and the CSP rules of its scanner; MDN's 2024 Observatory keeps the
same modifiers, drops X-XSS-Protection and adds CORP at 0): start at 100, add each test's
modifier, and award bonuses only when the score without them is at least 90. HSTS preloading
(+5) is not counted: it depends on Chromium's preload list, not on what we send.

The site is the real one running with ``mintkit.settings.production``'s security settings
(imported with a production-like environment, then applied over the test settings), fetched
the way the Observatory does: plain http first, then the https page, its cookies and scripts.
"""

from __future__ import annotations

import importlib
import re
import sys
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

from django.test import Client

import pytest

from tests.factories import DEFAULT_PASSWORD, UserFactory

HOST = "hub.example.com"
SIX_MONTHS = 15_768_000
DANGEROUSLY_BROAD = {
    "ftp:",
    "http:",
    "https:",
    "*",
    "http://*",
    "http://*.*",
    "https://*",
    "https://*.*",
}
UNSAFE_INLINE = {"'unsafe-inline'", "data:"}
INSECURE_SCHEMES = ("http:", "ftp:")
PASSIVE_DIRECTIVES = ("img-src", "media-src")
PRIVATE_REFERRER = {
    "no-referrer",
    "same-origin",
    "strict-origin",
    "strict-origin-when-cross-origin",
}
BONUSES_NEED = 90


@dataclass
class Scan:
    """What the Observatory sees of a site."""

    headers: dict[str, str]  # of the final https page
    html: str
    cookies: list  # Morsels set along the way
    http_redirect: str | None  # Location answered to http://HOST/
    origin: str = f"https://{HOST}"


@dataclass
class Score:
    results: dict[str, tuple[str, int]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        penalties = sum(m for _r, m in self.results.values() if m <= 0)
        bonuses = sum(m for _r, m in self.results.values() if m > 0)
        base = 100 + penalties
        return max(0, base + (bonuses if base >= BONUSES_NEED else 0))

    @property
    def grade(self) -> str:
        for floor, grade in ((100, "A+"), (90, "A"), (85, "A-"), (80, "B+"), (70, "B")):
            if self.total >= floor:
                return grade
        return "below B"


def parse_csp(value: str | None) -> dict[str, set[str]] | None:
    if not value:
        return None
    policy = {}
    for part in value.split(";"):
        tokens = part.split()
        if tokens:
            policy.setdefault(tokens[0].lower(), set(tokens[1:]))
    return policy


def csp_result(policy: dict[str, set[str]] | None) -> tuple[str, int]:
    if policy is None:
        return "csp-not-implemented", -25
    default = policy.get("default-src")
    script_src = set(policy.get("script-src") or default or {"*"})
    style_src = set(policy.get("style-src") or default or {"*"})
    object_src = set(policy.get("object-src") or default or {"*"})
    for sources in (script_src, style_src):  # CSP2: a nonce or hash disables 'unsafe-inline'
        if any(s.startswith(("'nonce-", "'sha")) for s in sources):
            sources.discard("'unsafe-inline'")
    passive = set().union(*(policy.get(d, set()) for d in PASSIVE_DIRECTIVES))
    active = set().union(*(v for k, v in policy.items() if k not in PASSIVE_DIRECTIVES))
    if script_src & (DANGEROUSLY_BROAD | UNSAFE_INLINE) or object_src & DANGEROUSLY_BROAD:
        return "csp-implemented-with-unsafe-inline", -20
    if any(s.startswith(INSECURE_SCHEMES) for s in active):
        return "csp-implemented-with-insecure-scheme", -20
    if "'unsafe-eval'" in script_src:
        return "csp-implemented-with-unsafe-eval", -10
    if style_src & (DANGEROUSLY_BROAD | UNSAFE_INLINE):
        return "csp-implemented-with-unsafe-inline-in-style-src-only", 0
    if any(s.startswith(INSECURE_SCHEMES) for s in passive):
        return "csp-implemented-with-insecure-scheme-in-passive-content-only", -10
    if default == {"'none'"}:
        return "csp-implemented-with-no-unsafe-default-src-none", 10
    return "csp-implemented-with-no-unsafe", 5


def cookies_result(cookies: list) -> tuple[str, int]:
    if not cookies:
        return "cookies-not-found", 0

    def is_session(m):
        return any(word in m.key.lower() for word in ("session", "sess", "login", "auth"))

    if any(not m["secure"] for m in cookies):
        return (
            ("cookies-session-without-secure-flag", -40)
            if any(is_session(m) for m in cookies if not m["secure"])
            else ("cookies-without-secure-flag", -20)
        )
    if any(is_session(m) and not m["httponly"] for m in cookies):
        return "cookies-session-without-httponly-flag", -30
    samesite = [m["samesite"].lower() for m in cookies if m["samesite"]]
    if any(value not in ("strict", "lax") for value in samesite):
        return "cookies-samesite-flag-invalid", -20
    if any("csrf" in m.key.lower() and not m["samesite"] for m in cookies):
        return "cookies-anticsrf-without-samesite-flag", -20
    if len(samesite) == len(cookies):
        return "cookies-secure-with-httponly-sessions-and-samesite", 5
    return "cookies-secure-with-httponly-sessions", 0


def hsts_result(value: str | None) -> tuple[str, int]:
    match = re.search(r"max-age\s*=\s*\"?(\d+)", value or "", re.I)
    if not value:
        return "hsts-not-implemented", -20
    if not match:
        return "hsts-header-invalid", -20
    if int(match.group(1)) >= SIX_MONTHS:
        return "hsts-implemented-max-age-at-least-six-months", 0
    return "hsts-implemented-max-age-less-than-six-months", -10


def redirection_result(location: str | None) -> tuple[str, int]:
    if not location:
        return "redirection-missing", -20
    if not location.startswith("https://"):
        return "redirection-not-to-https-on-initial-redirection", -10
    if not location.startswith(f"https://{HOST}/"):
        return "redirection-off-host-from-http", -5
    return "redirection-to-https", 0


def referrer_result(value: str | None) -> tuple[str, int]:
    if not value:
        return "referrer-policy-not-implemented", 0
    policies = [p.strip().lower() for p in value.split(",")]
    last = policies[-1]  # browsers use the last one they understand
    if last in PRIVATE_REFERRER:
        return "referrer-policy-private", 5
    if last == "no-referrer-when-downgrade":
        return "referrer-policy-no-referrer-when-downgrade", 0
    if last in ("origin", "origin-when-cross-origin", "unsafe-url"):
        return "referrer-policy-unsafe", -5
    return "referrer-policy-header-invalid", -5


def sri_result(html: str, origin: str) -> tuple[str, int]:
    scripts = re.findall(r"<script\b[^>]*\bsrc\s*=\s*[\"']?([^\"' >]+)[^>]*>", html, re.I)
    tags = re.findall(r"<script\b[^>]*\bsrc\s*=[^>]*>", html, re.I)
    if not scripts:
        return "sri-not-implemented-but-no-scripts-loaded", 0
    external = [s for s in scripts if s.startswith(("http:", "https:", "//"))]
    external = [s for s in external if not s.startswith(origin)]
    with_integrity = all("integrity=" in tag for tag in tags)
    if not external:
        return (
            ("sri-implemented-and-all-scripts-loaded-securely", 5)
            if with_integrity
            else ("sri-not-implemented-but-all-scripts-loaded-from-secure-origin", 0)
        )
    if any(s.startswith("http:") for s in external):
        return "sri-not-implemented-and-external-scripts-not-loaded-securely", -50
    if with_integrity:
        return "sri-implemented-and-external-scripts-loaded-securely", 5
    return "sri-not-implemented-but-external-scripts-loaded-securely", -5


def xfo_result(headers: dict[str, str], policy) -> tuple[str, int]:
    ancestors = (policy or {}).get("frame-ancestors")
    if ancestors is not None and not ancestors & DANGEROUSLY_BROAD:
        return "x-frame-options-implemented-via-csp", 5
    value = (headers.get("X-Frame-Options") or "").strip().upper()
    if not value:
        return "x-frame-options-not-implemented", -20
    if value in ("DENY", "SAMEORIGIN"):
        return "x-frame-options-sameorigin-or-deny", 0
    return "x-frame-options-header-invalid", -20


def observatory_score(scan: Scan) -> Score:
    headers = scan.headers
    policy = parse_csp(headers.get("Content-Security-Policy"))
    nosniff = (headers.get("X-Content-Type-Options") or "").strip().lower()
    acao = headers.get("Access-Control-Allow-Origin")
    corp = (headers.get("Cross-Origin-Resource-Policy") or "").strip().lower()
    score = Score()
    score.results = {
        "content-security-policy": csp_result(policy),
        "cookies": cookies_result(scan.cookies),
        "cross-origin-resource-sharing": (
            ("cross-origin-resource-sharing-implemented-with-universal-access", -50)
            if acao == "*"
            else ("cross-origin-resource-sharing-not-implemented", 0)
        ),
        "cross-origin-resource-policy": (
            ("cross-origin-resource-policy-header-invalid", -5)
            if corp and corp not in ("same-origin", "same-site", "cross-origin")
            else ("cross-origin-resource-policy-implemented-or-not", 0)
        ),
        "redirection": redirection_result(scan.http_redirect),
        "referrer-policy": referrer_result(headers.get("Referrer-Policy")),
        "strict-transport-security": hsts_result(headers.get("Strict-Transport-Security")),
        "subresource-integrity": sri_result(scan.html, scan.origin),
        "x-content-type-options": (
            ("x-content-type-options-nosniff", 0)
            if nosniff == "nosniff"
            else ("x-content-type-options-not-implemented", -5)
        ),
        "x-frame-options": xfo_result(headers, policy),
    }
    return score


# ----- the scorer against known verdicts ----------------------------------------------


def test_scorer_a_frame_ancestors_only_policy_is_no_policy_for_scripts():
    """frame-ancestors alone, XFO, HSTS, nosniff: scripts unrestricted, bonuses withheld."""
    scan = Scan(
        headers={
            "Content-Security-Policy": "frame-ancestors 'none'",
            "Strict-Transport-Security": "max-age=31536000; includeSubdomains",
            "X-Content-Type-Options": "nosniff",
            "X-Frame-Options": "DENY",
        },
        html="<html><body>no scripts</body></html>",
        cookies=[],
        http_redirect=f"https://{HOST}/",
    )
    score = observatory_score(scan)
    # No script-src or default-src: scripts are unrestricted, which is unsafe-inline (-20).
    assert score.results["content-security-policy"][0] == "csp-implemented-with-unsafe-inline"
    assert score.total == 80  # -20 CSP, 0 elsewhere; XFO via CSP bonus lost below 90


@pytest.mark.parametrize(
    ("csp", "expected"),
    [
        ("default-src 'none'; script-src 'self' 'nonce-abc'", 10),
        ("default-src 'self'", 5),
        ("default-src 'none'; script-src 'self' 'unsafe-inline'", -20),
        ("default-src 'none'; script-src 'self' 'nonce-x' 'unsafe-inline'", 10),
        ("default-src 'none'; script-src 'self' 'unsafe-eval'", -10),
        ("default-src 'none'; script-src data:", -20),
        ("default-src 'none'; script-src 'self'; object-src *", -20),
        ("default-src 'none'; style-src 'unsafe-inline'", 0),
        ("default-src 'none'; img-src http://cdn.example", -10),
        ("default-src 'none'; script-src http://cdn.example", -20),
        (None, -25),
    ],
)
def test_scorer_csp_rules(csp, expected):
    assert csp_result(parse_csp(csp))[1] == expected


# ----- the production settings ------------------------------------------------------

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "mintkit.settings.production",
    "SECRET_KEY": "observatory-test-secret-key-" + "x" * 40,
    "DATABASE_URL": "postgres://observatory@127.0.0.1:5432/never_connected",
    "ALLOWED_HOSTS": HOST,
    "STRIPE_SECRET_KEY": "sk_live_observatory",
    "STRIPE_PUBLISHABLE_KEY": "pk_live_observatory",
    "STRIPE_WEBHOOK_SECRET": "whsec_observatory",
    "MINTKIT_SHARED_SECRET": "observatory-shared-secret",
    "MINTKIT_API_KEY": "observatory-api-key",
}
# Only what shapes headers and cookies comes from production; the database, storage, cache,
# mail and log settings stay the test suite's.
HEADER_SETTINGS = re.compile(
    r"^(SECURE_|SESSION_COOKIE_|CSRF_COOKIE_|LANGUAGE_COOKIE_|CSP_|CONTENT_SECURITY_POLICY)"
    r"|^(X_FRAME_OPTIONS|MIDDLEWARE|ALLOWED_HOSTS|STRIPE_API_BASE|MINTKIT_STUDIO_URL"
    r"|WAGTAIL_GRAVATAR_PROVIDER_URL|MESSAGE_STORAGE)$"
)


@pytest.fixture
def production_headers(settings, monkeypatch):
    """Apply mintkit.settings.production's header and cookie settings to this test."""
    for name, value in PRODUCTION_ENV.items():
        monkeypatch.setenv(name, value)
    for name in ("STRIPE_API_BASE", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS"):
        monkeypatch.delenv(name, raising=False)
    sys.modules.pop("mintkit.settings.production", None)
    try:
        production = importlib.import_module("mintkit.settings.production")
    finally:
        sys.modules.pop("mintkit.settings.production", None)
    applied = {n: getattr(production, n) for n in dir(production) if HEADER_SETTINGS.match(n)}
    assert applied["SECURE_SSL_REDIRECT"] is True  # the production module, not the test one
    for name, value in applied.items():
        setattr(settings, name, value)
    return applied


def scan_site(client: Client) -> Scan:
    cookies = []

    def keep(response):
        cookies.extend(morsel for morsel in SimpleCookie(response.cookies).values())
        return response

    http = client.get("/", HTTP_HOST=HOST)
    home = keep(client.get("/", HTTP_HOST=HOST, secure=True))
    assert home.status_code == 200
    keep(client.get("/accounts/login/", HTTP_HOST=HOST, secure=True))
    user = UserFactory(email="observatory@example.com")
    logged_in = keep(
        client.post(
            "/accounts/login/",
            {"login": user.email, "password": DEFAULT_PASSWORD},
            HTTP_HOST=HOST,
            secure=True,
        )
    )
    assert logged_in.status_code == 302, "the log-in should set the session cookie"
    assert any(m.key == "sessionid" for m in cookies) and any(m.key == "csrftoken" for m in cookies)
    return Scan(
        headers=dict(home.headers),
        html=home.content.decode(),
        cookies=cookies,
        http_redirect=http.headers.get("Location") if http.status_code in (301, 302) else None,
    )


@pytest.mark.django_db
def test_production_headers_score_a_plus(production_headers, site_home):
    score = observatory_score(scan_site(Client()))
    results = {test: result for test, (result, _m) in score.results.items()}
    assert results == {
        "content-security-policy": "csp-implemented-with-no-unsafe-default-src-none",
        "cookies": "cookies-secure-with-httponly-sessions-and-samesite",
        "cross-origin-resource-sharing": "cross-origin-resource-sharing-not-implemented",
        "cross-origin-resource-policy": "cross-origin-resource-policy-implemented-or-not",
        "redirection": "redirection-to-https",
        "referrer-policy": "referrer-policy-private",
        "strict-transport-security": "hsts-implemented-max-age-at-least-six-months",
        "subresource-integrity": "sri-not-implemented-but-all-scripts-loaded-from-secure-origin",
        "x-content-type-options": "x-content-type-options-nosniff",
        "x-frame-options": "x-frame-options-implemented-via-csp",
    }
    assert score.total == 125 and score.grade == "A+"


@pytest.mark.django_db
def test_without_the_csp_middleware_production_would_not_reach_a_plus(
    production_headers, settings, site_home
):
    """The score is earned by the policy: take it away and the grade drops below A."""
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.endswith("CSPMiddleware")]
    score = observatory_score(scan_site(Client()))
    assert score.results["content-security-policy"] == ("csp-not-implemented", -25)
    assert score.total < 90
