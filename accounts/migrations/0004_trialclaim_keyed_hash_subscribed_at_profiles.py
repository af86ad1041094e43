"""The address ledger: keyed hashes, "subscribed at" instead of a flag, links to accounts.

Rows written before this migration hold an unkeyed SHA-256 of the address, which anyone can
test guesses against; each is replaced by an HMAC of that digest (``sha256:<hex>``, keyed with
``SECRET_KEY``), which ``accounts.models.email_digests`` also looks up. ``has_subscribed``
becomes ``subscribed_at`` (the row's creation time: earlier than any later subscription).
Then every live account's own addresses (log-in, verified) are linked to their rows and, for
accounts that have had a subscription, marked from their first subscription. An address an
account gave up before this migration cannot be told apart from a stranger's: it counts only
if an account was deleted while using it, as before.
"""

from django.conf import settings
from django.db import migrations, models
from django.utils.crypto import salted_hmac

from accounts.models import email_normalise


def _hmac(value):
    return salted_hmac(
        "accounts.TrialClaim", value, secret=settings.SECRET_KEY, algorithm="sha256"
    ).hexdigest()


def forwards(apps, schema_editor):
    TrialClaim = apps.get_model("accounts", "TrialClaim")
    Profile = apps.get_model("accounts", "Profile")
    EmailAddress = apps.get_model("account", "EmailAddress")
    Subscription = apps.get_model("billing", "Subscription")
    for claim in TrialClaim.objects.all():
        claim.email_hmac = _hmac(f"sha256:{claim.email_hmac}")
        if claim.has_subscribed:
            claim.subscribed_at = claim.created_at
        claim.save(update_fields=["email_hmac", "subscribed_at"])
    for profile in Profile.objects.select_related("user"):
        emails = set(
            EmailAddress.objects.filter(user_id=profile.user_id, verified=True).values_list(
                "email", flat=True
            )
        )
        emails.add(profile.user.email)
        first = (
            Subscription.objects.filter(profile_id=profile.pk)
            .order_by("stripe_created")
            .values_list("stripe_created", flat=True)
            .first()
        )
        for email in filter(None, emails):
            # Today's rules: only a database that already has accounts has rows to convert.
            digest = _hmac(email_normalise(email))
            claim, _ = TrialClaim.objects.get_or_create(
                email_hmac=digest, defaults={"trial_started_at": profile.trial_started_at}
            )
            claim.profiles.add(profile)
            if first is not None and (claim.subscribed_at is None or first < claim.subscribed_at):
                claim.subscribed_at = first
                claim.save(update_fields=["subscribed_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_trialclaim_has_subscribed"),
        ("account", "0009_emailaddress_unique_primary_email"),
        ("billing", "0002_subscription_cancel_at"),
    ]

    operations = [
        migrations.RenameField(
            model_name="trialclaim", old_name="email_sha256", new_name="email_hmac"
        ),
        migrations.AddField(
            model_name="trialclaim",
            name="subscribed_at",
            field=models.DateTimeField(
                blank=True,
                help_text="When an account using this address first started a subscription.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="trialclaim",
            name="profiles",
            field=models.ManyToManyField(
                blank=True, related_name="address_claims", to="accounts.profile"
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True),
        migrations.RemoveField(model_name="trialclaim", name="has_subscribed"),
    ]
