"""Storefronts: the public page a business owner builds for their customers.

A ``Storefront`` belongs to an ``accounts.Profile``; a profile may have several, as many
as its plan allows (``storefronts/limits.py``; the first, oldest one is "the" storefront of
``/dashboard/storefront/``). Its weekly ``OpeningHours`` may hold
several ranges a day; ``SpecialDate`` rows override them for single dates. ``Offer``
rows are the call-to-action cards. Analytics are per-day aggregate counters only
(no cookies, no IP addresses, no visitor rows).
"""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse

from wagtail.search import index

from accounts.phones import phone_display
from core.fields import optional_image

from .links import WebURLField, is_web_url
from .validators import (
    validate_brand_colour,
    validate_slug_not_reserved,
    validate_time_zone,
)

WEEKDAYS = [
    (0, "Monday"),
    (1, "Tuesday"),
    (2, "Wednesday"),
    (3, "Thursday"),
    (4, "Friday"),
    (5, "Saturday"),
    (6, "Sunday"),
]


class Category(models.TextChoices):
    """Business categories; the value is the schema.org type used in JSON-LD."""

    LOCAL_BUSINESS = "LocalBusiness", "Other local business"
    HAIR_SALON = "HairSalon", "Hair salon / barber"
    BEAUTY_SALON = "BeautySalon", "Beauty salon"
    NAIL_SALON = "NailSalon", "Nail salon"
    DAY_SPA = "DaySpa", "Spa"
    HEALTH_CLUB = "HealthClub", "Gym / health club"
    SPORTS_ACTIVITY = "SportsActivityLocation", "Sports or activity venue"
    RESTAURANT = "Restaurant", "Restaurant"
    CAFE = "CafeOrCoffeeShop", "Café"
    BAR = "BarOrPub", "Bar / pub"
    ENTERTAINMENT = "EntertainmentBusiness", "Entertainment venue"
    STORE = "Store", "Shop"
    PROFESSIONAL = "ProfessionalService", "Professional service"


class Theme(models.TextChoices):
    """The public page's look; each is a small stylesheet in static/css/themes/ built on the
    owner's brand colour (docs/PERFORMANCE.md, "Page weight")."""

    CLASSIC = "classic", "Classic — coloured header, white cards"
    BOLD = "bold", "Bold — big name, chunky buttons"
    MINIMAL = "minimal", "Minimal — white header, thin lines"
    WARM = "warm", "Warm — cream page, serif headings"


class StorefrontQuerySet(models.QuerySet):
    def live(self):
        """Storefronts the public may see."""
        return self.filter(is_active=True)


slug_format = RegexValidator(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    "Use lowercase letters, numbers and single hyphens (not at the start or end).",
    code="slug_format",
)


class Storefront(index.Indexed, models.Model):
    """A business's public page at ``/storefront/<slug>/``."""

    profile = models.ForeignKey(
        "accounts.Profile", on_delete=models.CASCADE, related_name="storefronts"
    )
    name = models.CharField(max_length=80)
    slug = models.SlugField(
        max_length=50,
        unique=True,
        validators=[slug_format, validate_slug_not_reserved],
        help_text="Your page's address: lowercase letters, numbers and hyphens.",
    )
    headline = models.CharField(
        max_length=120, blank=True, help_text="One line under your name, e.g. what you do."
    )
    description = models.TextField(
        max_length=2000,
        blank=True,
        help_text="Plain text. Leave an empty line between paragraphs.",
    )
    category = models.CharField(
        max_length=40, choices=Category.choices, default=Category.LOCAL_BUSINESS
    )
    time_zone = models.CharField(
        max_length=64, default="Europe/London", validators=[validate_time_zone]
    )

    contact_email = models.EmailField("contact e-mail", blank=True)
    # Stored in E.164 (+442079460958); the form validates and normalises it.
    phone = models.CharField(max_length=32, blank=True)
    street = models.CharField(max_length=120, blank=True)
    town = models.CharField(max_length=80, blank=True)
    postcode = models.CharField(max_length=16, blank=True)
    country = models.CharField(max_length=60, blank=True, default="United Kingdom")

    website_url = WebURLField("website", blank=True)
    instagram_url = WebURLField("Instagram", blank=True)
    facebook_url = WebURLField("Facebook", blank=True)
    tiktok_url = WebURLField("TikTok", blank=True)

    logo = optional_image()
    cover = optional_image()
    brand_colour = models.CharField(
        max_length=7,
        default="#146c43",
        validators=[validate_brand_colour],
        help_text=(
            "A hex colour like #146c43. Buttons show white text on it, so it must be dark "
            "enough to read (contrast ratio at least 4.5:1)."
        ),
    )
    theme = models.CharField(
        max_length=20,
        choices=Theme.choices,
        default=Theme.CLASSIC,
        help_text="How your page looks; every theme uses your brand colour.",
    )

    cta_label = models.CharField(
        "call-to-action label",
        max_length=40,
        blank=True,
        help_text='The main button, e.g. "Book now" or "Buy a gift card".',
    )
    cta_url = WebURLField(
        "call-to-action link",
        blank=True,
        help_text="Where the main button goes, unless you mark one offer as the main one.",
    )

    is_active = models.BooleanField(
        "published", default=False, help_text="Published storefronts are visible to everyone."
    )
    # Set when a smaller plan unpublished it (storefronts_limit_enforce); cleared on publish.
    unpublished_by_plan_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StorefrontQuerySet.as_manager()

    search_fields = [
        index.SearchField("name"),
        index.SearchField("headline"),
        index.SearchField("description"),
        index.SearchField("town"),
        index.AutocompleteField("name"),
        index.FilterField("is_active"),
        index.FilterField("category"),
        index.FilterField("slug"),
    ]

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(slug=models.functions.Lower("slug")),
                name="storefront_slug_lowercase",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("storefronts:public", kwargs={"slug": self.slug})

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # The slug as loaded: a save that renames the storefront must also retire the old
        # slug's cached head (storefronts/heads.py, storefronts/receivers.py).
        instance.loaded_slug = instance.__dict__.get("slug")
        return instance

    @property
    def theme_shown(self) -> str:
        """The theme the page wears: a stored value no longer offered shows as classic."""
        return self.theme if self.theme in Theme.values else Theme.CLASSIC

    @property
    def phone_display(self) -> str:
        return phone_display(self.phone)

    @property
    def has_address(self) -> bool:
        return bool(self.street or self.town or self.postcode)

    @property
    def address_line(self) -> str:
        return ", ".join(p for p in (self.street, self.town, self.postcode, self.country) if p)

    @property
    def social_links(self) -> list[tuple[str, str]]:
        """The links the page shows; one stored before links had to be http(s) is left out."""
        pairs = [
            ("Website", self.website_url),
            ("Instagram", self.instagram_url),
            ("Facebook", self.facebook_url),
            ("TikTok", self.tiktok_url),
        ]
        return [(label, url) for label, url in pairs if is_web_url(url)]

    @property
    def cta_link(self) -> str:
        """The call-to-action link if it is one the page may show (http or https)."""
        return self.cta_url if is_web_url(self.cta_url) else ""


class StorefrontSlugHistory(models.Model):
    """A slug a storefront used before; its URL answers with a 301 to the current one."""

    storefront = models.ForeignKey(Storefront, on_delete=models.CASCADE, related_name="old_slugs")
    slug = models.SlugField(max_length=50, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "storefront slug history"

    def __str__(self):
        return self.slug


class OpeningHours(models.Model):
    """One opening range on a weekday. A weekday without ranges is closed."""

    storefront = models.ForeignKey(
        Storefront, on_delete=models.CASCADE, related_name="opening_hours"
    )
    weekday = models.PositiveSmallIntegerField(choices=WEEKDAYS)
    opens = models.TimeField()
    closes = models.TimeField()

    class Meta:
        ordering = ["weekday", "opens"]
        verbose_name_plural = "opening hours"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes__gt=models.F("opens")),
                name="opening_hours_closes_after_opens",
            ),
            models.CheckConstraint(
                condition=models.Q(weekday__lte=6), name="opening_hours_weekday_range"
            ),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self):
        if self.opens and self.closes and self.closes <= self.opens:
            raise ValidationError({"closes": "Closing time must be after opening time."})


class SpecialDate(models.Model):
    """A date whose hours differ from the weekly ones (a holiday closure, late opening)."""

    storefront = models.ForeignKey(
        Storefront, on_delete=models.CASCADE, related_name="special_dates"
    )
    date = models.DateField()
    closed = models.BooleanField(default=True, help_text="Closed all day.")
    opens = models.TimeField(null=True, blank=True)
    closes = models.TimeField(null=True, blank=True)
    note = models.CharField(max_length=80, blank=True, help_text='e.g. "Bank holiday".')

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["storefront", "date"], name="special_date_once_per_storefront"
            ),
            models.CheckConstraint(
                condition=models.Q(closed=True, opens__isnull=True, closes__isnull=True)
                | models.Q(closed=False, closes__gt=models.F("opens")),
                name="special_date_closed_or_range",
            ),
        ]

    def __str__(self):
        return f"{self.date}: {'closed' if self.closed else f'{self.opens}–{self.closes}'}"

    def clean(self):
        if self.closed:
            if self.opens or self.closes:
                raise ValidationError(
                    {"closed": "Untick “closed” to give opening times for this date."}
                )
            return
        if not self.opens or not self.closes:
            raise ValidationError({"opens": "Give the opening and closing time, or tick “closed”."})
        if self.closes <= self.opens:
            raise ValidationError({"closes": "Closing time must be after opening time."})


class Offer(models.Model):
    """A call-to-action card: a gift card, ticket, voucher or service sold in MintKit Studio."""

    class Kind(models.TextChoices):
        GIFT_CARD = "gift_card", "Gift card"
        TICKET = "ticket", "Ticket"
        VOUCHER = "voucher", "Voucher"
        SERVICE = "service", "Service"

    storefront = models.ForeignKey(Storefront, on_delete=models.CASCADE, related_name="offers")
    title = models.CharField(max_length=80)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.GIFT_CARD)
    description = models.CharField("short description", max_length=200, blank=True)
    price_text = models.CharField(
        "price", max_length=40, blank=True, help_text='As shown, e.g. "£25" or "from £10".'
    )
    url = WebURLField("link", help_text="The product's MintKit Studio link.")
    sort_order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField("shown", default=True)
    is_primary = models.BooleanField(
        "main call to action",
        default=False,
        help_text="The big button at the top of your page goes to this offer.",
    )

    class Meta:
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["storefront"],
                condition=models.Q(is_primary=True),
                name="offer_one_primary_per_storefront",
            ),
        ]

    def __str__(self):
        return self.title


class StorefrontDailyStat(models.Model):
    """Public page views of one storefront on one day (in the storefront's time zone), and
    how many came from each source (storefronts/sources.py): counters only, nothing about
    the visitors."""

    storefront = models.ForeignKey(Storefront, on_delete=models.CASCADE, related_name="daily_stats")
    date = models.DateField()
    views = models.PositiveIntegerField(default=0)
    qr_views = models.PositiveIntegerField(default=0)
    direct_views = models.PositiveIntegerField(default=0)
    social_views = models.PositiveIntegerField(default=0)
    search_views = models.PositiveIntegerField(default=0)
    other_views = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["storefront", "date"], name="storefront_stat_per_day")
        ]

    def __str__(self):
        return f"{self.date}: {self.views} views"


class OfferDailyStat(models.Model):
    """Clicks on one offer on one day."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="daily_stats")
    date = models.DateField()
    clicks = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["offer", "date"], name="offer_stat_per_day")]

    def __str__(self):
        return f"{self.date}: {self.clicks} clicks"
