"""The Content-Security-Policy the site sends, and the templates that make it possible.

The browser proves the policy works (tests/browser/, which fail on any violation); these
tests pin what it says: scripts only from the site or by this response's nonce, nothing
inline, no eval, forms only to the site and to where our forms redirect (Stripe or the
emulator, MintKit Studio), and a looser policy only under the two admins.
"""

import re
from pathlib import Path

from django.conf import settings as django_settings

import pytest

from billing import services
from billing.tests.factories import SubscriptionPlanFactory
from mintkit.csp import origin_of
from storefronts.tests.factories import OfferFactory, OpeningHoursFactory, StorefrontFactory
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db

TEMPLATES = Path(django_settings.BASE_DIR) / "templates"
STATIC_JS = Path(django_settings.BASE_DIR) / "static" / "js"
UNSAFE = {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "data:", "http:", "https:"}

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
STYLE_TAG = re.compile(r"<style\b([^>]*)>(.*?)</style\s*>", re.S | re.I)
# An attribute named on…= inside a tag, however it is quoted or spaced.
HANDLER_ATTRIBUTE = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I)
JSON_LD = re.compile(r"""\btype\s*=\s*["']?application/ld\+json""", re.I)


def csp(response, header="Content-Security-Policy") -> dict[str, list[str]]:
    value = response.headers.get(header)
    assert value, f"no {header} on {response.request['PATH_INFO']}"
    directives = {}
    for part in value.split(";"):
        name, *sources = part.split()
        assert name not in directives, f"{name} given twice"
        directives[name] = sources
    return directives


def nonce_of(policy: dict) -> str:
    nonces = [s for s in policy["script-src"] if s.startswith("'nonce-")]
    assert len(nonces) == 1, policy["script-src"]
    return nonces[0][len("'nonce-") : -1]


def assert_strict_site_policy(response):
    policy = csp(response)
    assert policy["default-src"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    for directive in ("script-src", "style-src"):
        assert not UNSAFE & set(policy[directive]), (directive, policy[directive])
    assert "Content-Security-Policy-Report-Only" not in response.headers  # enforced, not advice
    return policy


def assert_nothing_inline_runs(html: str, nonce: str):
    """Every script is a file or data; every script and style element carries the nonce."""
    for attributes, body in SCRIPT_TAG.findall(html):
        if JSON_LD.search(attributes):
            continue  # a data block: browsers neither run it nor check it against script-src
        assert "src=" in attributes and not body.strip(), f"inline script: {attributes}{body}"
        assert f'nonce="{nonce}"' in attributes, attributes
    for attributes, _body in STYLE_TAG.findall(html):
        assert f'nonce="{nonce}"' in attributes, attributes
    assert not HANDLER_ATTRIBUTE.search(html), HANDLER_ATTRIBUTE.search(html).group(0)
    assert not STYLE_ATTRIBUTE.search(html), STYLE_ATTRIBUTE.search(html).group(0)


@pytest.fixture
def published_storefront():
    storefront = StorefrontFactory(brand_colour="#7a1f5c")
    OfferFactory(storefront=storefront)
    OpeningHoursFactory(storefront=storefront)
    return storefront


@pytest.mark.parametrize(
    "path",
    ["/", "/pricing/", "/help/", "/search/?q=gift", "/accounts/login/", "/accounts/signup/"],
)
def test_public_pages_send_a_strict_nonce_policy_and_run_nothing_inline(client, site_home, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = assert_strict_site_policy(response)
    assert policy["script-src"] == ["'self'", f"'nonce-{nonce_of(policy)}'"]
    assert_nothing_inline_runs(response.text, nonce_of(policy))


@pytest.mark.parametrize(
    "path", ["/dashboard/", "/dashboard/storefront/", "/dashboard/storefront/stats/"]
)
def test_owner_pages_send_a_strict_nonce_policy_and_run_nothing_inline(
    client, site_home, published_storefront, path
):
    client.force_login(published_storefront.profile.user)
    response = client.get(path)
    assert response.status_code == 200
    policy = assert_strict_site_policy(response)
    assert_nothing_inline_runs(response.text, nonce_of(policy))


def test_public_storefront_colours_by_nonce_and_keeps_json_ld_as_data(client, published_storefront):
    response = client.get(f"/storefront/{published_storefront.slug}/")
    policy = assert_strict_site_policy(response)
    nonce = nonce_of(policy)
    assert f"'nonce-{nonce}'" in policy["style-src"]
    assert_nothing_inline_runs(response.text, nonce)
    assert f'<style nonce="{nonce}">.storefront {{ --sf-brand: #7a1f5c; }}</style>' in response.text
    # JSON-LD stays a plain data block: no nonce needed, none given (it is cached across
    # visitors with the rest of the page's parts, so a per-response nonce could not be in it).
    assert '<script type="application/ld+json">{' in response.text


def test_every_response_gets_a_fresh_nonce(client, site_home):
    first, second = (nonce_of(csp(client.get("/"))) for _ in range(2))
    assert first != second
    assert len(first) >= 22  # 16 random bytes, base64


def test_form_action_allows_stripe_hosted_pages_and_studio_in_production(
    client, settings, site_home
):
    settings.STRIPE_API_BASE = None
    settings.MINTKIT_STUDIO_URL = "https://studio.mintkit.co.uk/start?from=hub"
    form_action = csp(client.get("/"))["form-action"]
    assert form_action == [
        "'self'",
        "https://checkout.stripe.com",
        "https://billing.stripe.com",
        "https://studio.mintkit.co.uk",
    ]


def test_form_action_allows_the_emulator_instead_of_stripe_when_the_api_base_is_set(
    client, settings, site_home
):
    settings.STRIPE_API_BASE = "http://127.0.0.1:12111/"
    form_action = csp(client.get("/"))["form-action"]
    assert "http://127.0.0.1:12111" in form_action
    assert "https://checkout.stripe.com" not in form_action


def test_the_checkout_redirect_target_is_allowed_by_the_page_that_posts_the_form(client, emu):
    SubscriptionPlanFactory(name="Pro", slug="pro", amount=1900)
    services.plans_sync_to_stripe()
    client.force_login(ProfileFactory().user)
    form_page = client.get("/billing/checkout/pro/")
    redirect = client.post("/billing/checkout/pro/")
    assert redirect.status_code == 303
    assert origin_of(redirect["Location"]) in csp(form_page)["form-action"]


@pytest.mark.parametrize("path", ["/admin/login/", "/django-admin/login/"])
def test_the_admins_get_their_own_policy_that_still_forbids_eval_plugins_and_framing_by_others(
    client, path
):
    response = client.get(path, follow=True)
    assert response.status_code == 200
    policy = csp(response)
    assert policy["default-src"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'self'"]  # Wagtail's preview is framed by the editor
    assert "'unsafe-eval'" not in policy["script-src"]
    assert not {"*", "data:", "http:", "https:"} & set(policy["script-src"])


@pytest.mark.parametrize("path", ["/administration/", "/storefront/admin/", "/adminx"])
def test_paths_that_merely_look_like_the_admin_get_the_strict_policy(client, site_home, path):
    response = client.get(path)
    assert csp(response)["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in csp(response)["script-src"]


def site_templates():
    for path in sorted(TEMPLATES.rglob("*.html")):
        parts = path.relative_to(TEMPLATES).parts
        if "wagtailadmin" in parts:  # the admin policy
            continue
        if "email" in parts:  # e-mail bodies are never served, and mail clients need style=""
            continue
        yield path


@pytest.mark.parametrize(
    "path", list(site_templates()), ids=lambda p: str(p.relative_to(TEMPLATES))
)
def test_site_templates_hold_no_inline_script_handler_or_style_attribute(path):
    source = path.read_text()
    for attributes, body in SCRIPT_TAG.findall(source):
        assert JSON_LD.search(attributes) or ("src=" in attributes and not body.strip()), (
            f"inline <script> in {path.name}: move it to static/js/"
        )
        assert "nonce=" in attributes or JSON_LD.search(attributes), path.name
    assert not HANDLER_ATTRIBUTE.search(source), f"on…= handler in {path.name}"
    assert not STYLE_ATTRIBUTE.search(source), f'style="" in {path.name}: use a class'
    assert "javascript:" not in source.lower(), path.name
    for attributes, _body in STYLE_TAG.findall(source):
        assert "nonce=" in attributes, f"<style> without a nonce in {path.name}"


@pytest.mark.parametrize("path", sorted(STATIC_JS.glob("*.js")), ids=lambda p: p.name)
def test_our_javascript_needs_no_eval_or_inline_handlers(path):
    source = path.read_text()
    for pattern in (
        r"\beval\s*\(",
        r"\bnew\s+Function\s*\(",
        r"\bset(?:Timeout|Interval)\s*\(\s*['\"`]",
        r"setAttribute\(\s*['\"]on",
        r"setAttribute\(\s*['\"]style['\"]",
        r"\.cssText\s*=",
    ):
        assert not re.search(pattern, source), (path.name, pattern)


def test_wagtail_preview_keeps_the_strict_policy_but_may_be_framed_by_the_admin(site_home):
    response = site_home.specific.make_preview_request()
    assert response.status_code == 200
    policy = csp(response)
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["default-src"] == ["'none'"]
    assert not UNSAFE & set(policy["script-src"])
    assert_nothing_inline_runs(response.content.decode(), nonce_of(policy))


def test_dev_settings_enforce_the_same_policy_and_allow_the_emulator(client, settings, site_home):
    import importlib
    import sys

    sys.modules.pop("mintkit.settings.dev", None)
    try:
        dev = importlib.import_module("mintkit.settings.dev")
    finally:
        sys.modules.pop("mintkit.settings.dev", None)
    assert dev.CONTENT_SECURITY_POLICY == django_settings.CONTENT_SECURITY_POLICY
    assert not getattr(dev, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)  # enforced, not advice
    assert "mintkit.csp.SiteCSPMiddleware" in dev.MIDDLEWARE
    settings.STRIPE_API_BASE = dev.STRIPE_API_BASE
    assert origin_of(dev.STRIPE_API_BASE) in csp(client.get("/"))["form-action"]
