from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0003_plan_yearly_price"),
    ]

    operations = [
        migrations.AddField(
            model_name="subscription",
            name="refunded_period_end",
            field=models.DateTimeField(
                blank=True,
                help_text="End of a period whose payment was refunded in full (or lost in a "
                "dispute): no access from this subscription until a later period.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="subscription",
            name="dispute_status",
            field=models.CharField(
                blank=True,
                choices=[("", "none"), ("open", "open"), ("lost", "lost")],
                default="",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="subscription",
            name="stripe_dispute_id",
            field=models.CharField(blank=True, max_length=255),
        ),
        migrations.AddField(
            model_name="subscription",
            name="disputed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="subscription",
            name="action_required_invoice_id",
            field=models.CharField(blank=True, max_length=255),
        ),
        migrations.AddField(
            model_name="subscription",
            name="action_required_url",
            field=models.URLField(blank=True, max_length=2000),
        ),
        migrations.AddField(
            model_name="subscription",
            name="action_required_amount",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="subscription",
            name="action_required_currency",
            field=models.CharField(blank=True, max_length=3),
        ),
    ]
