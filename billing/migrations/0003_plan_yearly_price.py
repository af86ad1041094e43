from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0002_subscription_cancel_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="subscriptionplan",
            name="stripe_price_id_yearly",
            field=models.CharField(
                blank=True,
                help_text="The yearly Stripe Price (10 × the monthly amount), made by stripe_setup.",
                max_length=255,
            ),
        ),
    ]
