"""Demo Wagtail content: the site, its home, pricing and help pages, and the site settings.

Every ``ensure_*`` function creates what is missing and leaves what exists alone, so running
``seed_demo`` twice changes nothing and never overwrites what the site owner has edited.
"""

from django.conf import settings
from django.contrib.auth.models import Group, Permission

from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import GroupPagePermission, Locale, Page, Site

from .models import HelpIndexPage, HelpPage, HomePage, PricingPage, SiteSettings, StandardPage

SIGNUP_URL = "/accounts/signup/"


def _link(label: str, url: str) -> dict:
    return {"label": label, "page": None, "url": url}


def _steps(heading: str, *steps: tuple[str, str]) -> dict:
    return {
        "type": "steps",
        "value": {"heading": heading, "steps": [{"title": t, "text": x} for t, x in steps]},
    }


def _text(html: str) -> dict:
    return {"type": "text", "value": html}


def _callout(style: str, title: str, html: str) -> dict:
    return {"type": "callout", "value": {"style": style, "title": title, "text": html}}


def home_body() -> list[dict]:
    trial = settings.HUB_TRIAL_DAYS
    return [
        {
            "type": "hero",
            "value": {
                "heading": "Your storefront and sales tools, ready this afternoon",
                "text": (
                    "MintKit Hub gives your salon, gym or studio a storefront page customers "
                    "can find, and MintKit Studio to sell gift cards, tickets and vouchers. "
                    f"Free for {trial} days — no card needed."
                ),
                "cta": _link("Start your free trial", SIGNUP_URL),
                "image": None,
            },
        },
        {
            "type": "features",
            "value": {
                "heading": "Everything a small service business needs to sell online",
                "intro": "No web designer, no plug-ins, no monthly surprises.",
                "features": [
                    {
                        "title": "A storefront page in minutes",
                        "text": "Your services, prices, opening hours and contact details on "
                        "one clean page with its own link you can share anywhere.",
                    },
                    {
                        "title": "Gift cards, tickets and vouchers",
                        "text": "MintKit Studio turns your offers into things customers can "
                        "buy and give — perfect for birthdays, classes and events.",
                    },
                    {
                        "title": "Simple, honest billing",
                        "text": "A monthly plan you can cancel any time from your dashboard. The "
                        f"first {settings.STRIPE_TRIAL_DAYS} days of your first plan are free.",
                    },
                ],
            },
        },
        _steps(
            "How it works",
            (
                "Sign up",
                f"Create your account with your e-mail. Your {trial}-day trial starts "
                "straight away — no card.",
            ),
            (
                "Build your storefront",
                "Add your business details, offers and opening hours, "
                "then publish when you are happy with it.",
            ),
            (
                "Sell with Studio",
                "Open MintKit Studio from your dashboard and start selling "
                "gift cards, tickets and vouchers.",
            ),
        ),
        {
            "type": "testimonials",
            "value": {
                "heading": "Loved by small businesses",
                "testimonials": [
                    {
                        "quote": "We sold forty gift cards in our first December. The "
                        "storefront took me one coffee break to set up.",
                        "name": "Priya Shah",
                        "business": "Willow & Wick Beauty, Leeds",
                    },
                    {
                        "quote": "Class tickets used to be a spreadsheet and a lot of "
                        "texting. Now people just book and pay.",
                        "name": "Tom Okafor",
                        "business": "Northside Strength Gym",
                    },
                    {
                        "quote": "Clear pricing and I can cancel whenever I like. That is "
                        "why I trusted it with my studio.",
                        "name": "Elin Hughes",
                        "business": "Tide Yoga Studio, Cardiff",
                    },
                ],
            },
        },
        {
            "type": "faq",
            "value": {
                "heading": "Questions people ask before signing up",
                "questions": [
                    {
                        "question": "Do I need a card to try MintKit Hub?",
                        "answer": f"<p>No. Your {trial}-day free trial starts when you sign "
                        "up and needs only your e-mail address.</p>",
                    },
                    {
                        "question": "What happens when my trial ends?",
                        "answer": "<p>Your storefront stays online. To keep using MintKit "
                        'Studio, choose a plan on the <a href="/pricing/">pricing page</a>.'
                        "</p>",
                    },
                    {
                        "question": "Can I cancel at any time?",
                        "answer": "<p>Yes. Cancel from your dashboard and you keep access "
                        "until the end of the period you have paid for.</p>",
                    },
                ],
            },
        },
        {
            "type": "cta",
            "value": {
                "heading": "Ready to open your online shop window?",
                "text": f"Start free today. It takes five minutes and there is nothing to "
                f"pay for {trial} days.",
                "cta": _link("Create your account", SIGNUP_URL),
            },
        },
    ]


def pricing_faq() -> list[dict]:
    return [
        {
            "type": "faq",
            "value": {
                "heading": "Pricing questions",
                "questions": [
                    {
                        "question": "Is there a free trial?",
                        "answer": f"<p>Every new account gets {settings.HUB_TRIAL_DAYS} days "
                        "of full access without a card. On your first paid subscription the "
                        f"first {settings.STRIPE_TRIAL_DAYS} days are free as well.</p>",
                    },
                    {
                        "question": "Can I change or cancel my plan?",
                        "answer": "<p>Yes, at any time from <strong>Manage billing</strong> on "
                        "your dashboard. If you cancel, you keep access until the end of the "
                        "period you have paid for.</p>",
                    },
                    {
                        "question": "What if a payment fails?",
                        "answer": f"<p>We retry the payment and you keep Studio access for "
                        f"{settings.PAST_DUE_GRACE_DAYS} days while you update your card.</p>",
                    },
                    {
                        "question": "How do I pay?",
                        "answer": "<p>By card, through Stripe. We never see or store your "
                        "card number.</p>",
                    },
                ],
            },
        }
    ]


def help_articles() -> list[dict]:
    trial = settings.HUB_TRIAL_DAYS
    return [
        {
            "slug": "getting-started",
            "title": "Getting started with MintKit Hub",
            "summary": "Create your account, find your way around the dashboard and get your "
            "business online in about ten minutes.",
            "body": [
                _text(
                    "<p>MintKit Hub is where you manage your business online: your public "
                    "storefront page, your subscription and your access to MintKit Studio. "
                    "This guide takes you from sign-up to a published storefront.</p>"
                ),
                _steps(
                    "Your first ten minutes",
                    (
                        "Create your account",
                        "Choose Sign up, enter your e-mail address and a "
                        "password. We send you an e-mail to confirm the address.",
                    ),
                    (
                        "Tell us about your business",
                        "On the dashboard, open Profile and add "
                        "your business name. It appears on your storefront.",
                    ),
                    (
                        "Build your storefront",
                        "Open Storefront from the dashboard, add your "
                        "offers and opening hours, then publish.",
                    ),
                    (
                        "Try MintKit Studio",
                        "Choose Studio in the menu to open the tools for "
                        "gift cards, tickets and vouchers.",
                    ),
                ),
                _callout(
                    "tip",
                    "Your trial has already started",
                    f"<p>Every new account gets {trial} days of full access, including "
                    "MintKit Studio. You do not need a card until you choose a plan.</p>",
                ),
                _text(
                    "<h2>The dashboard at a glance</h2><p>Your dashboard shows your storefront "
                    "status (draft or live), how many trial days are left or which plan you "
                    "are on, and quick links to everything else.</p>"
                ),
            ],
        },
        {
            "slug": "building-your-storefront",
            "title": "Building your storefront",
            "summary": "Add your services, prices and opening hours, preview the page and "
            "publish it when it is ready.",
            "body": [
                _text(
                    "<p>Your storefront is a public page for your business at "
                    "<code>/storefront/your-business/</code>. Customers see what you offer, "
                    "what it costs and when you are open.</p>"
                ),
                _steps(
                    "Set it up",
                    ("Open the editor", "From the dashboard choose Storefront."),
                    (
                        "Describe your business",
                        "Write a short description — one or two "
                        "sentences about what makes you different.",
                    ),
                    (
                        "Add your offers",
                        "List each service with a name, a short description "
                        "and a price, such as “60-minute massage — £45”.",
                    ),
                    ("Set your opening hours", "Add a line for each day you open."),
                    ("Publish", "Switch the storefront to live. Until then only you can see it."),
                ),
                _callout(
                    "info",
                    "Drafts stay private",
                    "<p>An unpublished storefront is visible only to you. It does not appear "
                    "in search results or the sitemap until you publish it.</p>",
                ),
                _text(
                    "<h2>Sharing your page</h2><p>Copy the address from your dashboard and "
                    "add it to your Instagram bio, Google Business profile and e-mail "
                    "signature.</p>"
                ),
            ],
        },
        {
            "slug": "trials-and-billing",
            "title": "Free trial, plans and billing",
            "summary": "How the free trial works, what happens when it ends, and how to "
            "change, pay for or cancel your plan.",
            "body": [
                _text(
                    f"<h2>Your free trial</h2><p>Every new account gets {trial} days of full "
                    "access from the day you sign up, with no card needed. Your dashboard "
                    "shows how many days are left.</p>"
                ),
                _text(
                    "<h2>Choosing a plan</h2><p>Compare the plans on the "
                    '<a href="/pricing/">pricing page</a> and choose Subscribe. Payment is '
                    "handled securely by Stripe. On your first-ever subscription the first "
                    f"{settings.STRIPE_TRIAL_DAYS} days are free.</p>"
                ),
                _steps(
                    "Changing or cancelling",
                    ("Open billing", "On your dashboard choose Manage billing."),
                    (
                        "Make the change",
                        "Update your card, download invoices or cancel your "
                        "subscription in the secure billing portal.",
                    ),
                    (
                        "Come back",
                        "You return to your dashboard, which shows the new status straight away.",
                    ),
                ),
                _callout(
                    "warning",
                    "If a payment fails",
                    f"<p>We retry the payment automatically and you keep Studio access for "
                    f"{settings.PAST_DUE_GRACE_DAYS} days. Update your card in Manage "
                    "billing to avoid an interruption.</p>",
                ),
            ],
        },
        {
            "slug": "using-mintkit-studio",
            "title": "Using MintKit Studio",
            "summary": "Open MintKit Studio from the hub and sell gift cards, tickets and "
            "vouchers to your customers.",
            "body": [
                _text(
                    "<p>MintKit Studio is our companion app for selling gift cards, event "
                    "tickets and vouchers. You open it from MintKit Hub — there is no "
                    "second password to remember.</p>"
                ),
                _steps(
                    "Opening Studio",
                    ("Choose Studio", "Select Studio in the main menu."),
                    (
                        "Open MintKit Studio",
                        "Choose the Open button. We sign you in to "
                        "Studio securely and take you there.",
                    ),
                ),
                _callout(
                    "info",
                    "Who can open Studio?",
                    "<p>Studio is included while your free trial runs and while your "
                    "subscription is active. If neither applies, the Studio page explains "
                    "why and shows the plans.</p>",
                ),
                {
                    "type": "code",
                    "value": {
                        "language": "text",
                        "code": "Dashboard → Studio → Open MintKit Studio",
                    },
                },
            ],
        },
        {
            "slug": "account-and-privacy",
            "title": "Your account and privacy",
            "summary": "Change your details, reset a forgotten password and find out what we "
            "store about you and your customers.",
            "body": [
                _text(
                    "<h2>Updating your details</h2><p>Open Profile from your dashboard to "
                    "change your business name and contact details.</p>"
                ),
                _steps(
                    "Forgotten your password?",
                    (
                        "Ask for a reset link",
                        "Choose Log in, then Forgot your password, and enter your e-mail address.",
                    ),
                    (
                        "Check your e-mail",
                        "Open the link we send you. It works once and expires after a short time.",
                    ),
                    ("Choose a new password", "Pick a password you do not use anywhere else."),
                ),
                _text(
                    "<h2>What we store</h2><p>We keep your e-mail address, your business "
                    "profile, your storefront and your subscription status. Card details "
                    "are held by Stripe, never by us.</p>"
                ),
                _callout(
                    "info",
                    "Closing your account",
                    "<p>Cancel your subscription from Manage billing, then e-mail our "
                    "support team and we will delete your account and storefront.</p>",
                ),
            ],
        },
    ]


def ensure_root() -> Page:
    """Wagtail's locale and tree root (a flushed test database has neither)."""
    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root"))
    return root


def _ensure_child(parent: Page, model: type[Page], *, slug: str, **fields) -> Page:
    """The live child of ``parent`` at ``slug``, created and published if missing."""
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        page = parent.add_child(instance=model(slug=slug, **fields))
        page.save_revision().publish()
    return page


def ensure_home_page() -> HomePage:
    """The single HomePage as the default site's root, with the contract's ``/pricing/`` and
    ``/help/`` pages under it (the main menu is built from these)."""
    home = HomePage.objects.first()
    if home is None:
        # Wagtail's initial migration leaves a "Welcome" page at the slug we want.
        Page.objects.filter(depth=2, slug="home").delete()
        root = ensure_root()
        home = root.add_child(
            instance=HomePage(
                title="MintKit Hub — storefronts and sales tools for small businesses",
                slug="home",
                body=home_body(),
                search_description="Storefronts, gift cards, tickets and vouchers for "
                "salons, gyms and studios.",
            )
        )
        home.save_revision().publish()
    elif not home.body:
        # A home page from before the StreamField existed: give it the standard sections.
        home.body = home_body()
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="MintKit Hub",
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = "MintKit Hub"
        site.save()
    _ensure_child(
        home,
        PricingPage,
        slug="pricing",
        title="Pricing",
        show_in_menus=True,
        intro="<p>One simple monthly price, cancel any time. Every account starts with "
        f"{settings.HUB_TRIAL_DAYS} days free — no card needed.</p>",
        faq=pricing_faq(),
        search_description="MintKit Hub plans and prices for small service businesses.",
    )
    _ensure_child(
        home,
        HelpIndexPage,
        slug="help",
        title="Help",
        show_in_menus=True,
        intro="<p>Guides to setting up your storefront, your trial and billing, and MintKit "
        "Studio.</p>",
        search_description="How to use MintKit Hub: storefronts, trials, billing and Studio.",
    )
    return home


def ensure_help_articles(help_index: HelpIndexPage) -> list[HelpPage]:
    return [
        _ensure_child(
            help_index,
            HelpPage,
            slug=article["slug"],
            title=article["title"],
            summary=article["summary"],
            body=article["body"],
            search_description=article["summary"],
        )
        for article in help_articles()
    ]


def ensure_standard_pages(home: HomePage) -> list[StandardPage]:
    about = _ensure_child(
        home,
        StandardPage,
        slug="about",
        title="About MintKit",
        intro="We build simple online tools for independent service businesses.",
        body=[
            _text(
                "<p>MintKit started in a friend's hair salon, where gift vouchers were paper "
                "slips in a drawer. Today MintKit Hub and MintKit Studio help salons, gyms, "
                "studios and therapists sell online without hiring a developer.</p>"
                "<p>We are a small team in the UK. We answer every support e-mail ourselves."
                "</p>"
            )
        ],
    )
    privacy = _ensure_child(
        home,
        StandardPage,
        slug="privacy",
        title="Privacy notice",
        intro="What we collect, why, and how long we keep it.",
        body=[
            _text(
                "<h2>What we collect</h2><p>Your e-mail address and password (stored "
                "hashed), your business profile and storefront, and your subscription "
                "status. Payments are processed by Stripe; we never see your card number.</p>"
                "<h2>Why</h2><p>To run your account, show your storefront and bill your "
                "subscription. We do not sell your data.</p>"
                "<h2>Your rights</h2><p>You can ask us for a copy of your data or to delete "
                "it at any time by e-mailing support.</p>"
            )
        ],
    )
    return [about, privacy]


def ensure_site_settings(site: Site, *, links: list[Page]) -> SiteSettings:
    """Fill the site settings once; later edits in the admin are left alone."""
    site_settings, created = SiteSettings.objects.get_or_create(site=site)
    if created or not (site_settings.footer_links or site_settings.support_email):
        site_settings.footer_text = "Storefronts and Studio access for small service businesses."
        site_settings.footer_links = [
            {"type": "link", "value": {"label": page.title, "page": page.pk, "url": ""}}
            for page in links
        ]
        site_settings.social_links = [
            {
                "type": "social",
                "value": {"network": "instagram", "url": "https://www.instagram.com/mintkit"},
            },
            {
                "type": "social",
                "value": {"network": "linkedin", "url": "https://www.linkedin.com/company/mintkit"},
            },
        ]
        site_settings.support_email = "support@mintkit.co.uk"
        site_settings.announcement_enabled = True
        site_settings.announcement_text = (
            f"New: the first {settings.STRIPE_TRIAL_DAYS} days of your first paid plan are free."
        )
        site_settings.announcement_link_label = "See the plans"
        site_settings.announcement_url = "/pricing/"
        site_settings.save()
    return site_settings


EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page"]
EDITOR_MODEL_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]


def ensure_editors_group() -> Group:
    """Wagtail's "Editors" group, able to add, edit and publish every page.

    Wagtail's own migration creates the group without publish rights; the site owner's
    editors publish their own changes. No business or billing permissions are given here:
    those stay with superusers.
    """
    group, _ = Group.objects.get_or_create(name="Editors")
    for app_label, codename in EDITOR_MODEL_PERMISSIONS:
        permission = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if permission is not None:
            group.permissions.add(permission)
    root = Page.get_first_root_node()
    for codename in EDITOR_PAGE_PERMISSIONS:
        permission = Permission.objects.get(
            content_type__app_label="wagtailcore", codename=codename
        )
        GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)
    return group


def run(*, stdout) -> None:
    home = ensure_home_page()
    help_index = HelpIndexPage.objects.child_of(home).get(slug="help")
    articles = ensure_help_articles(help_index)
    extra = ensure_standard_pages(home)
    pricing = PricingPage.objects.child_of(home).get(slug="pricing")
    site = Site.objects.get(is_default_site=True)
    ensure_site_settings(site, links=[pricing, help_index, *extra])
    ensure_editors_group()
    stdout.write(f"Site pages: {home.url_path}, /pricing/, /help/ with {len(articles)} articles")
