"""Seed N businesses fast: ``bulk_create`` for users, profiles, storefronts and subscriptions,
set-based ``INSERT … SELECT`` for offers, hours and special dates (PostgreSQL; no signals).

Each business: a user, a profile, a published storefront with 3 offers, 6 opening hours,
and every fourth one 2 special dates. Subscriptions cycle through every Stripe status
(two businesses in ten stay on the free trial; one in ten also has an old, ended one).
Names repeat the way real ones do ("Bramble & Willow Hair Salon" is a few businesses);
one business in 10,000 mentions the rare word "quillwort".
"""

import random
from datetime import UTC, datetime, timedelta

FIRST = [
    "Bramble",
    "Willow",
    "Copper",
    "Harbour",
    "Juniper",
    "Maple",
    "Saffron",
    "Indigo",
    "Linden",
    "Marlow",
    "Orchard",
    "Pebble",
    "Rowan",
    "Thistle",
    "Hazel",
    "Ember",
    "Fern",
    "Larch",
    "Meadow",
    "Quarry",
    "Aspen",
    "Birch",
    "Clover",
    "Damson",
    "Elder",
    "Foxglove",
    "Gorse",
    "Heather",
    "Ivy",
    "Kestrel",
]
KINDS = {
    "HairSalon": ["Hair Salon", "Barbers", "Hair Studio"],
    "BeautySalon": ["Beauty Salon", "Beauty Rooms", "Skin Clinic"],
    "NailSalon": ["Nail Salon", "Nail Bar"],
    "DaySpa": ["Spa", "Wellness Retreat"],
    "HealthClub": ["Gym", "Fitness Club", "Yoga Studio", "Pilates Studio"],
    "SportsActivityLocation": ["Climbing Wall", "Tennis Club", "Dance School"],
    "Restaurant": ["Kitchen", "Bistro", "Trattoria"],
    "CafeOrCoffeeShop": ["Café", "Coffee House", "Bakery"],
    "BarOrPub": ["Tap Room", "Arms", "Wine Bar"],
    "EntertainmentBusiness": ["Escape Rooms", "Cinema Club", "Comedy Cellar"],
    "Store": ["Gift Shop", "Bookshop", "Florist"],
    "ProfessionalService": ["Tutors", "Photography", "Tailors"],
    "LocalBusiness": ["Pottery Studio", "Music Lessons", "Dog Groomers"],
}
TOWNS = [
    "Bristol",
    "Bath",
    "Leeds",
    "York",
    "Norwich",
    "Brighton",
    "Exeter",
    "Durham",
    "Oxford",
    "Cambridge",
    "Chester",
    "Lincoln",
    "Perth",
    "Inverness",
    "Cardiff",
    "Swansea",
    "Belfast",
    "Derry",
    "Truro",
    "Whitby",
    "Ludlow",
    "Hexham",
    "Kendal",
    "Frome",
    "Totnes",
    "Stroud",
    "Hebden",
]
WORDS = [
    "friendly",
    "local",
    "independent",
    "family",
    "award-winning",
    "relaxed",
    "modern",
    "traditional",
    "organic",
    "seasonal",
    "handmade",
    "expert",
    "qualified",
    "welcoming",
    "cosy",
    "bright",
    "spacious",
    "quiet",
    "central",
    "classes",
    "sessions",
    "treatments",
    "appointments",
    "courses",
    "workshops",
    "lessons",
    "tastings",
    "menus",
    "gifts",
    "vouchers",
    "memberships",
    "walk-ins",
    "bookings",
    "parties",
    "events",
    "groups",
    "beginners",
    "children",
    "adults",
    "students",
    "seniors",
    "couples",
    "everyone",
    "weekends",
    "evenings",
    "mornings",
    "colour",
    "cuts",
    "styling",
    "massage",
    "facials",
    "manicures",
    "pedicures",
    "training",
    "coaching",
    "coffee",
    "cakes",
    "brunch",
    "lunch",
    "dinner",
    "cocktails",
    "ales",
    "wines",
    "flowers",
    "books",
    "prints",
    "pots",
]
OFFERS = [
    ("Gift card", "gift_card", "Any amount, spend it on anything we do."),
    ("Taster session", "voucher", "Try us out: one session at half price."),
    ("Workshop ticket", "ticket", "Small groups, everything provided."),
    ("Ten-visit pass", "voucher", "Ten visits for the price of eight."),
    ("Birthday treat", "gift_card", "A surprise they will remember."),
]
STATUSES = [
    "trialing",
    "active",
    "past_due",
    "canceled",
    "unpaid",
    "incomplete",
    "incomplete_expired",
    "paused",
]
RARE_WORD = "quillwort"


def business_name(i: int, rng: random.Random) -> tuple[str, str]:
    category = list(KINDS)[i % len(KINDS)]
    kind = rng.choice(KINDS[category])
    a, b = rng.sample(FIRST, 2)
    style = i % 3
    if style == 0:
        name = f"{a} & {b} {kind}"
    elif style == 1:
        name = f"{a}'s {kind}"
    else:
        name = f"{a} {b} {kind}"
    return name, category


def seed_businesses(*, count: int, batch: int = 2000, stdout=None) -> dict:
    """Create ``count`` businesses; returns a few of their names and slugs for the benchmark."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils.text import slugify

    from accounts.models import Profile, User
    from billing.models import Subscription, SubscriptionPlan
    from storefronts.models import Storefront

    rng = random.Random(15)
    password = make_password("bench-only-password")
    plans = list(SubscriptionPlan.objects.order_by("pk"))
    now = datetime.now(UTC)
    samples: dict = {}
    for start in range(0, count, batch):
        stop = min(start + batch, count)
        with transaction.atomic():
            users = User.objects.bulk_create(
                [
                    User(email=f"owner{i}@bench.mintkit.test", password=password, is_active=True)
                    for i in range(start, stop)
                ]
            )
            profiles = Profile.objects.bulk_create(
                [
                    Profile(
                        user=user,
                        business_name=f"Business {i}",
                        trial_started_at=now - timedelta(days=i % 40),
                    )
                    for i, user in zip(range(start, stop), users, strict=True)
                ]
            )
            storefronts = []
            for i, profile in zip(range(start, stop), profiles, strict=True):
                name, category = business_name(i, rng)
                town = rng.choice(TOWNS)
                words = rng.sample(WORDS, 24)
                description = (
                    f"A {words[0]} {words[1]} {name.split()[-1].lower()} in {town}. "
                    f"We offer {words[2]}, {words[3]} and {words[4]} for {words[5]}. "
                    + " ".join(words[6:24])
                    + "."
                )
                if i % 10_000 == 7:
                    description += f" Ask about our {RARE_WORD} garden."
                storefronts.append(
                    Storefront(
                        profile=profile,
                        name=name,
                        slug=f"{slugify(name)[:40]}-{i}",
                        headline=f"{words[0].capitalize()} {name.split()[-1].lower()} in {town}",
                        description=description,
                        category=category,
                        town=town,
                        is_active=True,
                    )
                )
            storefronts = Storefront.objects.bulk_create(storefronts)
            subscriptions = []
            for i, profile in enumerate(profiles, start):
                slot = i % 10
                if slot < len(STATUSES) and plans:
                    status = STATUSES[slot]
                    subscriptions.append(
                        Subscription(
                            profile=profile,
                            plan=plans[i % len(plans)],
                            stripe_customer_id=f"cus_bench_{i}",
                            stripe_subscription_id=f"sub_bench_{i}",
                            status=status,
                            is_current=True,
                            current_period_start=now - timedelta(days=5),
                            current_period_end=now + timedelta(days=25),
                            trial_end=now + timedelta(days=9) if status == "trialing" else None,
                            past_due_since=now - timedelta(days=2)
                            if status in ("past_due", "unpaid")
                            else None,
                            stripe_created=now - timedelta(days=5),
                            synced_at=now,
                        )
                    )
                    if slot == 1:
                        subscriptions.append(
                            Subscription(
                                profile=profile,
                                plan=plans[0],
                                stripe_customer_id=f"cus_bench_{i}",
                                stripe_subscription_id=f"sub_bench_old_{i}",
                                status="canceled",
                                is_current=False,
                                stripe_created=now - timedelta(days=400),
                                synced_at=now,
                            )
                        )
            Subscription.objects.bulk_create(subscriptions)
        if start == 0:
            samples["first"] = storefronts[0]
        samples["last"] = storefronts[-1]
        punctuated = count // 2 - (count // 2) % 3  # style 0: "A & B Kind"
        if start <= punctuated < stop:
            samples["punctuated"] = storefronts[punctuated - start]
        if start <= count // 2 < stop:
            samples["middle"] = storefronts[count // 2 - start]
        if stdout is not None and (stop == count or (stop // batch) % 10 == 0):
            stdout.write(f"  seeded {stop:,} businesses\n")
            stdout.flush()
    if samples:
        _seed_children(first_id=samples["first"].pk)
    return {
        key: {"name": shop.name, "slug": shop.slug, "url": shop.get_absolute_url()}
        for key, shop in samples.items()
    }


def _seed_children(*, first_id: int) -> None:
    """Offers, opening hours and special dates for every seeded storefront (id >= first_id),
    set-based in PostgreSQL: 3 + 6 rows per storefront and 2 for one in four."""
    from django.db import connection, transaction

    assert len(OFFERS) == 5  # noqa: S101 - the VALUES list below has five rows
    offer_params = [value for offer in OFFERS for value in offer]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO storefronts_offer
                (storefront_id, title, kind, description, price_text, url, sort_order,
                 is_active, is_primary)
            SELECT s.id, t.title, t.kind, t.description, '£' || (10 + n * 5),
                   'https://studio.mintkit.test/p/' || s.id || '-' || n, n, true, n = 0
            FROM storefronts_storefront s
            CROSS JOIN generate_series(0, 2) AS n
            JOIN (
                VALUES (0, %s, %s, %s), (1, %s, %s, %s), (2, %s, %s, %s), (3, %s, %s, %s),
                       (4, %s, %s, %s)
            ) AS t(k, title, kind, description) ON t.k = (s.id + n * 2) %% 5
            WHERE s.id >= %s
            """,
            [*offer_params, first_id],
        )
        cursor.execute(
            """
            INSERT INTO storefronts_openinghours (storefront_id, weekday, opens, closes)
            SELECT s.id, d, TIME '09:00', TIME '17:30'
            FROM storefronts_storefront s CROSS JOIN generate_series(0, 5) AS d
            WHERE s.id >= %s
            """,
            [first_id],
        )
        cursor.execute(
            """
            INSERT INTO storefronts_specialdate
                (storefront_id, date, closed, opens, closes, note)
            SELECT s.id, DATE '2026-12-25', true, NULL, NULL, ''
            FROM storefronts_storefront s WHERE s.id >= %s AND s.id %% 4 = 0
            UNION ALL
            SELECT s.id, DATE '2026-12-24', false, TIME '09:00', TIME '13:00', 'Christmas Eve'
            FROM storefronts_storefront s WHERE s.id >= %s AND s.id %% 4 = 0
            """,
            [first_id, first_id],
        )
