"""``{% sitefragment "name" vary… %}…{% endsitefragment %}``: a piece of a page rendered once
per site generation and shared by every visitor (core/sitecache.py).

Only for HTML that is the same for everyone: the footer, a page's StreamField body. Anything
that depends on who is looking (the nav's log-in links, the pricing page's offers) stays
outside. HTML holding the response's CSP nonce or a CSRF token is never stored.

    {% load site_fragments %}
    {% sitefragment "page-body" page.cache_key %}
      {% for block in page.body %}{% include_block block %}{% endfor %}
    {% endsitefragment %}
"""

from django import template
from django.template.base import FilterExpression, NodeList
from django.utils.safestring import mark_safe

from core.sitecache import fragment

register = template.Library()


class SiteFragmentNode(template.Node):
    def __init__(self, nodelist: NodeList, name: FilterExpression, vary_on: list[FilterExpression]):
        self.nodelist = nodelist
        self.name = name
        self.vary_on = vary_on

    def render(self, context) -> str:
        request = context.get("request")
        if request is None:
            return self.nodelist.render(context)
        vary_on = [str(expression.resolve(context)) for expression in self.vary_on]
        html = fragment(
            request,
            str(self.name.resolve(context)),
            vary_on,
            lambda: self.nodelist.render(context),
        )
        return mark_safe(html)  # noqa: S308 - our own templates' output, escaped as it rendered


@register.tag("sitefragment")
def do_sitefragment(parser, token) -> SiteFragmentNode:
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"'{bits[0]}' needs a fragment name.")
    nodelist = parser.parse(("endsitefragment",))
    parser.delete_first_token()
    return SiteFragmentNode(
        nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(b) for b in bits[2:]]
    )
