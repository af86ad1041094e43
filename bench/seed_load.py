"""Seed N businesses fast with ``bulk_create`` (no signals, no per-row saves).

Each business: a user, a profile, a published storefront with 3 offers, 6 opening hours,
and every fourth one 2 special dates. Subscriptions cycle through every Stripe status
(two businesses in ten stay on the free trial; one in ten also has an old, ended one).
Names repeat the way real ones do ("Bramble & Willow Hair Salon" is a few businesses);
one business in 10,000 mentions the rare word "quillwort".
"""

import random
from datetime import UTC, date, datetime, time, timedelta

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
    from storefronts.models import Offer, OpeningHours, SpecialDate, Storefront

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
            offers, hours, specials, subscriptions = [], [], [], []
            for i, (profile, shop) in enumerate(zip(profiles, storefronts, strict=True), start):
                for n, (title, kind, text) in enumerate(rng.sample(OFFERS, 3)):
                    offers.append(
                        Offer(
                            storefront=shop,
                            title=title,
                            kind=kind,
                            description=text,
                            price_text=f"£{10 + n * 5}",
                            url=f"https://studio.mintkit.test/p/{i}-{n}",
                            sort_order=n,
                            is_primary=n == 0,
                        )
                    )
                hours += [
                    OpeningHours(storefront=shop, weekday=d, opens=time(9), closes=time(17, 30))
                    for d in range(6)
                ]
                if i % 4 == 0:
                    specials += [
                        SpecialDate(storefront=shop, date=date(2026, 12, 25), closed=True),
                        SpecialDate(
                            storefront=shop,
                            date=date(2026, 12, 24),
                            closed=False,
                            opens=time(9),
                            closes=time(13),
                            note="Christmas Eve",
                        ),
                    ]
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
            Offer.objects.bulk_create(offers)
            OpeningHours.objects.bulk_create(hours)
            SpecialDate.objects.bulk_create(specials)
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
    return {
        key: {"name": shop.name, "slug": shop.slug, "url": shop.get_absolute_url()}
        for key, shop in samples.items()
    }
