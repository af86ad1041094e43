"""StreamField blocks for the marketing and help pages (one template each in templates/blocks/)."""

from django.core.exceptions import ValidationError

from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.blocks import ImageChooserBlock


class LinkValue(blocks.StructValue):
    @property
    def href(self) -> str:
        page = self.get("page")
        if page is not None:
            return page.url or ""
        return self.get("url") or ""


class LinkBlock(blocks.StructBlock):
    """A labelled link to a page on this site or to a URL (``/accounts/signup/`` or https://…)."""

    label = blocks.CharBlock(max_length=60)
    page = blocks.PageChooserBlock(required=False)
    url = blocks.CharBlock(
        required=False,
        max_length=300,
        help_text="Used when no page is chosen: a path such as /accounts/signup/ or a full URL.",
    )

    def clean(self, value):
        value = super().clean(value)
        url = (value.get("url") or "").strip()
        if value.get("page") is None:
            if not url:
                raise StructBlockValidationError(
                    block_errors={"url": ValidationError("Choose a page or enter a URL.")}
                )
            if not url.startswith(("/", "https://", "http://", "mailto:")):
                raise StructBlockValidationError(
                    block_errors={
                        "url": ValidationError(
                            "Start with / for a page on this site, or with https://."
                        )
                    }
                )
        return value

    class Meta:
        icon = "link"
        value_class = LinkValue
        template = "blocks/link.html"


# --- Home page ---------------------------------------------------------------------------


class HeroBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120)
    text = blocks.TextBlock(required=False)
    cta = LinkBlock(label="Call to action")
    image = ImageChooserBlock(required=False)

    class Meta:
        icon = "pick"
        template = "blocks/hero.html"


class TitledTextBlock(blocks.StructBlock):
    """A short title and a paragraph: one feature, one step."""

    title = blocks.CharBlock(max_length=80)
    text = blocks.TextBlock()


class FeatureBlock(TitledTextBlock):
    pass


class FeaturesBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120)
    intro = blocks.TextBlock(required=False)
    features = blocks.ListBlock(FeatureBlock(), min_num=1)

    class Meta:
        icon = "list-ul"
        template = "blocks/features.html"


class StepBlock(TitledTextBlock):
    pass


class StepsBlock(blocks.StructBlock):
    """Numbered steps: "how it works" on the home page, instructions in help articles."""

    heading = blocks.CharBlock(max_length=120, required=False)
    steps = blocks.ListBlock(StepBlock(), min_num=1)

    class Meta:
        icon = "list-ol"
        template = "blocks/steps.html"


class TestimonialBlock(blocks.StructBlock):
    quote = blocks.TextBlock()
    name = blocks.CharBlock(max_length=80)
    business = blocks.CharBlock(max_length=120, required=False)


class TestimonialsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120)
    testimonials = blocks.ListBlock(TestimonialBlock(), min_num=1)

    class Meta:
        icon = "openquote"
        template = "blocks/testimonials.html"


class QuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(max_length=200)
    answer = blocks.RichTextBlock(features=["bold", "italic", "link", "ul", "ol"])


class FAQBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120, default="Frequently asked questions")
    questions = blocks.ListBlock(QuestionBlock(), min_num=1)

    class Meta:
        icon = "help"
        label = "FAQ"
        template = "blocks/faq.html"


class CTABlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120)
    text = blocks.TextBlock(required=False)
    cta = LinkBlock(label="Call to action")

    class Meta:
        icon = "pick"
        label = "Call to action"
        template = "blocks/cta.html"


# --- Help and standard pages ------------------------------------------------------------


RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "link", "ul", "ol", "code", "hr"]


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        max_length=250, help_text="Describe the image for people who cannot see it."
    )
    caption = blocks.CharBlock(max_length=250, required=False)

    class Meta:
        icon = "image"
        label = "Image"
        template = "blocks/image.html"


class CalloutBlock(blocks.StructBlock):
    style = blocks.ChoiceBlock(
        choices=[("info", "Note"), ("tip", "Tip"), ("warning", "Warning")], default="info"
    )
    title = blocks.CharBlock(max_length=120, required=False)
    text = blocks.RichTextBlock(features=["bold", "italic", "link", "code"])

    class Meta:
        icon = "warning"
        template = "blocks/callout.html"


class CodeBlock(blocks.StructBlock):
    language = blocks.ChoiceBlock(
        choices=[("text", "Plain text"), ("html", "HTML"), ("bash", "Shell"), ("json", "JSON")],
        default="text",
    )
    code = blocks.TextBlock()

    class Meta:
        icon = "code"
        template = "blocks/code.html"


class HomeStreamBlock(blocks.StreamBlock):
    hero = HeroBlock()
    features = FeaturesBlock()
    steps = StepsBlock(label="How it works")
    testimonials = TestimonialsBlock()
    faq = FAQBlock()
    cta = CTABlock()


class ArticleStreamBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, template="blocks/text.html")
    image = CaptionedImageBlock()
    callout = CalloutBlock()
    code = CodeBlock()
    steps = StepsBlock()
