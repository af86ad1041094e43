from django.db import migrations, models

# The seeded plans by slug (billing/seed.py); any other plan keeps the default, 1.
MAX_STOREFRONTS = {"basic": 1, "pro": 3}


def set_limits(apps, schema_editor):
    plan_model = apps.get_model("billing", "SubscriptionPlan")
    for slug, limit in MAX_STOREFRONTS.items():
        plan_model.objects.filter(slug=slug).update(max_storefronts=limit)


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0006_mintkit_access_before_first_visit"),
    ]

    operations = [
        migrations.AddField(
            model_name="subscriptionplan",
            name="max_storefronts",
            field=models.PositiveSmallIntegerField(
                default=1,
                help_text="How many storefronts a subscriber may have and publish (the hub trial: 1).",
            ),
        ),
        migrations.RunPython(set_limits, migrations.RunPython.noop),
    ]
