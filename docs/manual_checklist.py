"""The product brief's manual checklist, walked in Chromium against a running development site.

Start the site as a newcomer would (``make run``: runserver on :8000, console e-mail, the Stripe
emulator on :12111 delivering webhooks), then, from the repository root, in a second terminal:

    .venv/bin/python docs/manual_checklist.py            # or --base http://127.0.0.1:8765

It prints PASS or the first failure for each item of docs/TESTING.md's table. What a person
would do outside the browser is done here through the ORM on the site's own database
(``DATABASE_URL``, as the site reads it): reading the confirmation link the console e-mail
prints, and moving a hub trial into the past. It makes a new owner, a storefront, a Basic
subscription on the emulator and a superuser each time; it never contacts MintKit Studio (the
hand-off is answered in the browser).
"""

import argparse
import datetime as dt
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mintkit.settings.dev")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # ORM calls beside Playwright

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from allauth.account.models import EmailAddress, EmailConfirmationHMAC  # noqa: E402
from playwright.sync_api import expect, sync_playwright  # noqa: E402

from accounts.models import Profile, User  # noqa: E402

PASSWORD = "a-Long-unusual-pass-42"  # noqa: S105 - a throwaway account on a dev site
DEMO = ("demo@mintkit.test", "mintkit-demo-only")


def confirm_link(base: str, email: str) -> str:
    """The link the console e-mail printed for this address."""
    address = EmailAddress.objects.get(email__iexact=email)
    return f"{base}/accounts/confirm-email/{EmailConfirmationHMAC(address).key}/"


def trial_into_the_past(email: str) -> None:
    Profile.objects.filter(user__email__iexact=email).update(
        trial_started_at=timezone.now() - dt.timedelta(days=settings.HUB_TRIAL_DAYS + 1)
    )


def log_in(page, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def confirm(page, base: str, email: str) -> None:
    page.goto(confirm_link(base, email))
    button = page.get_by_role("button", name=re.compile("Confirm", re.I))
    if button.count():
        button.click()
        page.wait_for_load_state()


def walk(base: str, browser) -> None:
    stamp = int(time.time())
    email = f"manual{stamp}@harbour-yoga.example"
    slug = f"harbour-yoga-{stamp % 100000}"

    def new_page():
        context = browser.new_context(base_url=base, locale="en-GB", timezone_id="Europe/London")
        context.route(
            f"{settings.MINTKIT_STUDIO_URL}/**",
            lambda route: route.fulfill(status=200, body="<h1>Studio stand-in</h1>"),
        )
        return context.new_page()

    visitor, owner = new_page(), new_page()

    for path in ["/dashboard/", "/dashboard/profile/", "/dashboard/storefront/", "/studio/"]:
        visitor.goto(path)
        assert "/accounts/login/" in visitor.url and "next=" in visitor.url, (path, visitor.url)
    print("PASS 10  owner pages send a logged-out visitor to /accounts/login/?next=…")

    owner.goto("/accounts/signup/")
    owner.get_by_label("E-mail").fill(email)
    owner.get_by_label("Business name").fill("Harbour Yoga")
    owner.get_by_label("Password", exact=True).fill(PASSWORD)
    owner.get_by_label("Password (again)").fill(PASSWORD)
    owner.get_by_role("button", name="Create account").click()
    expect(owner.get_by_role("heading", name="Confirm your e-mail address")).to_be_visible()
    confirm(owner, base, email)
    owner.goto("/dashboard/")
    expect(owner.get_by_role("heading", level=1)).to_contain_text("Harbour Yoga")
    print(f"PASS 1   signed up as {email}, confirmed, dashboard 'Welcome, Harbour Yoga'")

    owner.get_by_role("button", name="Log out").first.click()
    owner.wait_for_load_state()
    owner.goto("/dashboard/")
    assert "/accounts/login/" in owner.url, owner.url
    log_in(owner, email, PASSWORD)
    assert owner.url.endswith("/dashboard/"), owner.url
    print("PASS 2   logged out (the dashboard asks to log in), logged in again")

    owner.goto("/dashboard/profile/")
    owner.get_by_label("Phone").fill("not a number")
    owner.get_by_role("button", name=re.compile("Save")).first.click()
    expect(owner.locator("[id$=phone_error]").first).to_be_visible()
    owner.get_by_label("Business name").fill("Harbour Yoga Studio")
    owner.get_by_label("Phone").fill("020 7946 0321")
    owner.get_by_role("button", name=re.compile("Save")).first.click()
    owner.wait_for_load_state()
    owner.goto("/dashboard/")
    expect(owner.locator("body")).to_contain_text("020 7946 0321")
    print("PASS 3   a bad phone refused beside the field; name and phone saved and shown")

    owner.goto("/dashboard/storefront/")
    owner.get_by_role("textbox", name="Name", exact=True).fill("Harbour Yoga")
    owner.get_by_label("Web address").fill(slug)
    owner.get_by_label("Headline").fill("Small yoga classes by the harbour")
    owner.get_by_role("button", name="Create storefront").click()
    owner.get_by_role("button", name="Publish").click()
    owner.wait_for_load_state()
    assert visitor.goto(f"/storefront/{slug}/").status == 200
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Harbour Yoga")
    print(f"PASS 4   /storefront/{slug}/ created, published, 200 for a logged-out visitor")

    owner.goto("/dashboard/storefront/")
    owner.get_by_role("button", name="Unpublish").click()
    owner.wait_for_load_state()
    assert visitor.goto(f"/storefront/{slug}/").status == 404
    assert owner.goto(f"/storefront/{slug}/").status == 200
    print("PASS 5   unpublished: 404 for the visitor, the owner still sees the draft")

    owner.goto("/studio/")
    expect(owner.get_by_role("button", name="Open MintKit Studio").first).to_be_visible()
    owner.goto("/pricing/")
    basic = owner.locator("article[data-plan=basic]")
    basic.get_by_role("button", name="Subscribe to Basic").click()
    owner.wait_for_url("**/checkout/cs_*")
    print("PASS 6   Pricing → 'Subscribe to Basic' → the hosted Checkout page (test mode)")
    owner.get_by_label("Card number").fill("4242 4242 4242 4242")
    owner.locator("#submit").click()
    owner.wait_for_url("**/billing/success/?session_id=cs_*")
    owner.goto("/dashboard/")
    status = owner.locator(".billing-status").inner_text()
    assert "Basic plan" in status, status
    print(f"PASS 7   paid with 4242…; the dashboard says {status!r}")

    trial_into_the_past(email)
    owner.goto("/studio/")
    owner.get_by_role("button", name="Open MintKit Studio").first.click()
    owner.wait_for_url(f"{settings.MINTKIT_STUDIO_URL}/**")
    assert "token=" in owner.url
    print("PASS 8   the trial owner saw the button; as a subscriber it hands off with a token")

    demo = new_page()
    log_in(demo, *DEMO)
    trial_into_the_past(DEMO[0])
    demo.goto("/studio/")
    assert demo.get_by_role("button", name="Open MintKit Studio").count() == 0
    token = demo.locator("input[name=csrfmiddlewaretoken]").first.get_attribute("value")
    response = demo.request.post(
        f"{base}/studio/launch/",
        form={"csrfmiddlewaretoken": token or ""},
        headers={"Referer": f"{base}/studio/"},
        max_redirects=0,
    )
    assert response.status == 403, response.status
    print("PASS 9   no trial, no plan: no open button, POST /studio/launch/ is 403")

    staff_email = f"staff{stamp}@mintkit.example"
    User.objects.create_superuser(email=staff_email, password=PASSWORD)
    staff = new_page()
    staff.goto("/admin/")
    assert "/accounts/login/" in staff.url, staff.url
    log_in(staff, staff_email, PASSWORD)
    confirm(staff, base, staff_email)
    staff.goto("/admin/")
    if "/accounts/login/" in staff.url:
        log_in(staff, staff_email, PASSWORD)
    assert staff.goto("/admin/accounts/profile/?q=Harbour").status == 200
    expect(staff.locator("body")).to_contain_text("Harbour Yoga")
    assert staff.goto("/admin/billing/subscription/").status == 200
    expect(staff.locator("body")).to_contain_text("Harbour Yoga")
    print("PASS 11  a superuser reaches the admin; Businesses and Subscriptions list the owner")

    visitor.goto("/")
    for name in ["Pricing", "Help", "Home"]:
        menu = visitor.get_by_role("navigation").first
        menu.get_by_role("link", name=name, exact=True).click()
        visitor.wait_for_load_state()
        assert visitor.locator("h1").count(), name
    print("PASS 12  Home, Pricing and Help reached from the main menu")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--chromium", default=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
    args = parser.parse_args()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=args.chromium, args=["--no-sandbox"])
        try:
            walk(args.base.rstrip("/"), browser)
        finally:
            browser.close()
    print("All items pass.")


if __name__ == "__main__":
    main()
