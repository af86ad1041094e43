"""Storefront themes: every existing storefront starts on "classic", today's look."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("storefronts", "0004_daily_views_by_source"),
    ]

    operations = [
        migrations.AddField(
            model_name="storefront",
            name="theme",
            field=models.CharField(
                choices=[
                    ("classic", "Classic — coloured header, white cards"),
                    ("bold", "Bold — big name, chunky buttons"),
                    ("minimal", "Minimal — white header, thin lines"),
                    ("warm", "Warm — cream page, serif headings"),
                ],
                default="classic",
                help_text="How your page looks; every theme uses your brand colour.",
                max_length=20,
            ),
        ),
    ]
