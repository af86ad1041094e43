"""Every StreamField block renders what an editor typed, through its own template."""

from wagtail.blocks.struct_block import StructBlockValidationError

import pytest
from wagtail_factories import ImageFactory

from home import blocks

pytestmark = pytest.mark.django_db


def render(block, data):
    return block.render(block.to_python(data))


def link(label="Start free", url="/accounts/signup/"):
    return {"label": label, "page": None, "url": url}


def test_hero_renders_heading_text_call_to_action_and_image():
    image = ImageFactory(title="Salon")
    html = render(
        blocks.HeroBlock(),
        {
            "heading": "Sell online <today>",
            "text": "No card needed.",
            "cta": link(),
            "image": image.pk,
        },
    )
    assert "<h1" in html and "Sell online &lt;today&gt;" in html  # escaped
    assert "No card needed." in html
    assert '<a class="btn btn-success btn-lg" href="/accounts/signup/">Start free</a>' in html
    assert "<img" in html


def test_link_to_a_page_uses_the_page_url(seeded_site):
    from home.models import PricingPage

    html = render(
        blocks.CTABlock(),
        {
            "heading": "Ready?",
            "text": "",
            "cta": {"label": "See plans", "page": PricingPage.objects.get().pk, "url": ""},
        },
    )
    assert 'href="/pricing/">See plans</a>' in html
    assert "<h2" in html and "Ready?" in html


def test_features_render_each_feature():
    html = render(
        blocks.FeaturesBlock(),
        {
            "heading": "Everything you need",
            "intro": "Really.",
            "features": [
                {"title": "Storefront", "text": "A page."},
                {"title": "Studio", "text": "Gift cards."},
            ],
        },
    )
    assert "Everything you need" in html and "Really." in html
    assert html.count("<h3") == 2 and "Storefront" in html and "Gift cards." in html


def test_steps_render_in_order_with_numbers():
    html = render(
        blocks.StepsBlock(),
        {
            "heading": "How it works",
            "steps": [
                {"title": "Sign up", "text": "a"},
                {"title": "Build", "text": "b"},
                {"title": "Sell", "text": "c"},
            ],
        },
    )
    assert "<ol" in html
    assert html.index("Sign up") < html.index("Build") < html.index("Sell")
    assert "Step 3: </span>Sell" in html


def test_testimonials_render_quote_name_and_business():
    html = render(
        blocks.TestimonialsBlock(),
        {
            "heading": "Loved",
            "testimonials": [{"quote": "Brilliant.", "name": "Priya", "business": "Willow Beauty"}],
        },
    )
    assert "<blockquote" in html and "Brilliant." in html
    assert "Priya" in html and "<cite>Willow Beauty</cite>" in html


def test_faq_renders_questions_as_disclosures_with_rich_text_answers():
    html = render(
        blocks.FAQBlock(),
        {
            "heading": "Questions",
            "questions": [
                {"question": "Is there a trial?", "answer": "<p>Yes, <b>14 days</b>.</p>"}
            ],
        },
    )
    assert "<details" in html and "<summary" in html and "Is there a trial?" in html
    assert "<b>14 days</b>" in html


def test_article_blocks_render_text_image_callout_and_code():
    stream = blocks.ArticleStreamBlock()
    image = ImageFactory(title="Dashboard")
    value = stream.to_python(
        [
            {"type": "text", "value": "<h2>Intro</h2><p>Hello</p>"},
            {
                "type": "image",
                "value": {
                    "image": image.pk,
                    "alt_text": "The dashboard",
                    "caption": "Your dashboard",
                },
            },
            {
                "type": "callout",
                "value": {"style": "warning", "title": "", "text": "<p>Careful</p>"},
            },
            {"type": "code", "value": {"language": "bash", "code": "echo <hi>"}},
            {"type": "steps", "value": {"heading": "", "steps": [{"title": "One", "text": "x"}]}},
        ]
    )
    html = stream.render(value)
    assert "<h2>Intro</h2>" in html
    assert 'alt="The dashboard"' in html and "<figcaption" in html
    assert "alert-warning" in html and "Warning" in html and "Careful" in html
    assert 'data-language="bash"' in html and "echo &lt;hi&gt;" in html
    assert "One" in html


def test_link_needs_a_page_or_a_sensible_url():
    block = blocks.LinkBlock()
    with pytest.raises(StructBlockValidationError):
        block.clean(block.to_python({"label": "Go", "page": None, "url": ""}))
    with pytest.raises(StructBlockValidationError):
        block.clean(block.to_python({"label": "Go", "page": None, "url": "javascript:alert(1)"}))
    assert block.clean(block.to_python(link()))["url"] == "/accounts/signup/"


def test_home_stream_offers_all_the_marketing_sections():
    assert set(blocks.HomeStreamBlock.base_blocks) == {
        "hero",
        "features",
        "steps",
        "testimonials",
        "faq",
        "cta",
    }
