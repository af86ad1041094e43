"""Hosted customer portal pages (``/portal/<bps_id>``): what a configuration allows, the
portal home page and its flows (card update, plan switch confirmation)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .store import Store

from html import escape
from typing import Any

from .objects import money
from .pages import _page, date, price_text
from .stripe_types import Previews, StripeObject


def _portal_configuration(portal: StripeObject, store: Store) -> StripeObject:
    return store.portal_configurations.get(portal.get("configuration") or "") or {}


def portal_allows(conf: StripeObject, action: str) -> bool:
    """Whether the portal's configuration offers ``action``. The emulator's seeded default
    configuration (``_legacy_actions``) keeps both cancel modes and the card form."""
    legacy = bool(conf.get("_legacy_actions"))
    features = conf.get("features") or {}
    cancel = features.get("subscription_cancel") or {}
    if action == "cancel_at_period_end":
        return legacy or bool(cancel.get("enabled") and cancel.get("mode") == "at_period_end")
    if action == "cancel_now":
        return legacy or bool(cancel.get("enabled") and cancel.get("mode") == "immediately")
    if action == "resume":
        return True
    if action == "update_card":
        return legacy or bool((features.get("payment_method_update") or {}).get("enabled"))
    if action == "switch":
        return bool((features.get("subscription_update") or {}).get("enabled"))
    if action == "invoice_history":
        return bool((features.get("invoice_history") or {}).get("enabled"))
    return False


def portal_switch_prices(conf: StripeObject, store: Store, sub: StripeObject) -> list[StripeObject]:
    """The prices the configuration lets this subscription switch to."""
    update = (conf.get("features") or {}).get("subscription_update") or {}
    if not update.get("enabled"):
        return []
    current = sub["items"]["data"][0]["price"]
    found = []
    for product in update.get("products") or []:
        for price_id in product["prices"]:
            price = store.prices.get(price_id)
            if (
                price
                and price["active"]
                and price_id != current["id"]
                and price["currency"] == current["currency"]
            ):
                found.append(price)
    return found


def _card_form(
    portal: StripeObject, heading: str = "Payment method", pm: StripeObject | None = None
) -> list[str]:
    parts = [f"<h2>{escape(heading)}</h2>"]
    if pm:
        parts.append(
            f'<p id="current-card">{escape(pm["card"]["brand"].title())} ending '
            f"{escape(pm['card']['last4'])}</p>"
        )
    parts.append(
        f'<form method="post" action="/portal/{escape(portal["id"])}">'
        '<input type="hidden" name="action" value="update_card">'
        '<label for="card_number">Card number</label>'
        '<input type="text" name="card_number" id="card_number" inputmode="numeric" '
        'placeholder="4242 4242 4242 4242" required>'
        '<button type="submit" id="update-card">Update card</button></form>'
    )
    return parts


def _default_pm(store: Store, customer: StripeObject, subs: list[Any]) -> StripeObject | None:
    pm_id = customer.get("invoice_settings", {}).get("default_payment_method")
    if not pm_id:
        for sub in subs:
            pm_id = pm_id or sub.get("default_payment_method")
    return store.payment_methods.get(pm_id or "")


def _return_link(portal: StripeObject) -> str:
    if not portal.get("return_url"):
        return ""
    return f'<p><a href="{escape(portal["return_url"])}" id="return">Return to MintKit Hub</a></p>'


def portal_flow_page(
    portal: StripeObject, store: Store, preview: StripeObject | None, error: str | None = None
) -> str:
    """A deep-linked portal flow (``flow_data``): one task, then ``after_completion``."""
    flow = portal["flow"]
    customer = store.customers.get(portal["customer"], {})
    parts = []
    if error:
        parts.append(f'<div class="error" id="error" role="alert">{escape(error)}</div>')
    if flow["type"] == "payment_method_update":
        parts.insert(0, "<h1>Update your payment method</h1>")
        subs = [s for s in store.subscriptions.values() if s["customer"] == customer.get("id")]
        parts += _card_form(portal, "Card", _default_pm(store, customer, subs))
    else:
        confirm = flow["subscription_update_confirm"]
        sub = store.subscriptions[confirm["subscription"]]
        new_price = store.prices[confirm["items"][0]["price"]]
        old_price = sub["items"]["data"][0]["price"]
        old_name = store.products.get(old_price["product"], {}).get("name", "")
        new_name = store.products.get(new_price["product"], {}).get("name", "")
        parts.insert(0, "<h1>Confirm your new plan</h1>")
        parts.append(
            f'<p id="current-plan">Current: {escape(old_name)} · '
            f"{escape(price_text(old_price))}</p>"
            f'<p id="new-plan">New: {escape(new_name)} · {escape(price_text(new_price))}</p>'
        )
        if preview is not None:
            parts.append(_preview_text(preview))
        parts.append(
            f'<form method="post" action="/portal/{escape(portal["id"])}">'
            '<input type="hidden" name="action" value="confirm_update">'
            '<button type="submit" id="confirm">Confirm</button></form>'
        )
    parts.append(_return_link(portal))
    return _page("Billing portal", "".join(parts))


def _preview_text(preview: StripeObject) -> str:
    prorations = sum(
        line["amount"]
        for line in preview["lines"]["data"]
        if line["parent"]["subscription_item_details"]["proration"]
    )
    when = "today" if preview["billing_reason"] == "subscription_update" else "on your next invoice"
    return (
        f'<p class="muted" id="proration" data-amount="{prorations}">Prorated adjustment: '
        f"{escape(money(prorations, preview['currency']))}; total "
        f"{escape(money(preview['amount_due'], preview['currency']))} {when}.</p>"
    )


def portal_page(
    portal: StripeObject,
    store: Store,
    error: str | None = None,
    notice: str | None = None,
    previews: Previews | None = None,
) -> str:
    conf = _portal_configuration(portal, store)
    previews = previews or {}
    customer = store.customers.get(portal["customer"], {})
    subs = [s for s in store.subscriptions.values() if s["customer"] == portal["customer"]]
    subs.reverse()
    parts = [
        "<h1>Manage your subscription</h1>",
        f'<p class="muted" id="customer-email">{escape(customer.get("email") or "")}</p>',
    ]
    headline = (conf.get("business_profile") or {}).get("headline")
    if headline:
        parts.insert(1, f'<p id="headline">{escape(headline)}</p>')
    if error:
        parts.append(f'<div class="error" id="error" role="alert">{escape(error)}</div>')
    if notice:
        parts.append(f'<div class="notice" id="notice">{escape(notice)}</div>')
    parts.append("<h2>Subscriptions</h2>")
    if not subs:
        parts.append('<p class="muted" id="no-subscriptions">No subscriptions.</p>')
    first = True
    for sub in subs:
        item = sub["items"]["data"][0]
        product = store.products.get(item["price"]["product"], {})
        end = item["current_period_end"]
        if sub["status"] == "canceled":
            when = f"Ended {date(sub['ended_at'])}"
        elif sub["cancel_at_period_end"] or sub["cancel_at"]:
            when = f"Cancels {date(sub['cancel_at'] or end)}"
        elif sub["status"] == "trialing":
            when = f"Trial ends {date(sub['trial_end'])}"
        else:
            when = f"Renews {date(end)}"
        sid = escape(sub["id"])
        parts.append(
            f'<div class="sub" id="{sid}" data-status="{escape(sub["status"])}">'
            f'<strong class="plan">{escape(product.get("name", ""))}</strong> · '
            f"{escape(price_text(item['price']))}<br>"
            f'<span class="status">Status: {escape(sub["status"])}</span> · '
            f'<span class="period-end">{escape(when)}</span><br>'
        )
        if sub["status"] not in ("canceled", "incomplete_expired"):
            suffix = "" if first else f"-{sid}"
            first = False
            buttons: list[tuple[str, str, str, str, dict[str, str]]] = []
            if sub["cancel_at_period_end"] or sub["cancel_at"]:
                buttons.append(("resume", "resume", "Resume", "secondary", {}))
            elif portal_allows(conf, "cancel_at_period_end"):
                buttons.append(
                    (
                        "cancel_at_period_end",
                        "cancel-at-period-end",
                        "Cancel at period end",
                        "secondary",
                        {},
                    )
                )
            if portal_allows(conf, "cancel_now"):
                buttons.append(("cancel_now", "cancel-now", "Cancel now", "danger", {}))
            for price in portal_switch_prices(conf, store, sub):
                name = store.products.get(price["product"], {}).get("name", "")
                buttons.append(
                    (
                        "switch",
                        f"switch-{price['id']}",
                        f"Switch to {name} ({price_text(price)})",
                        "secondary",
                        {"price": price["id"]},
                    )
                )
            for action, bid, label, cls, extra in buttons:
                hidden = "".join(
                    f'<input type="hidden" name="{k}" value="{escape(v)}">'
                    for k, v in extra.items()
                )
                preview = previews.get((sub["id"], extra.get("price")))
                parts.append(
                    f'<form class="inline" method="post" '
                    f'action="/portal/{escape(portal["id"])}">'
                    f'<input type="hidden" name="action" value="{action}">'
                    f'<input type="hidden" name="subscription" value="{sid}">{hidden}'
                    f'<button type="submit" class="{cls}" id="{escape(bid)}{suffix}">'
                    f"{escape(label)}</button></form> "
                )
                if preview is not None:
                    parts.append(_preview_text(preview).replace('id="proration"', ""))
        parts.append("</div>")
    if portal_allows(conf, "update_card"):
        parts += _card_form(portal, pm=_default_pm(store, customer, subs))
    if portal_allows(conf, "invoice_history"):
        invoices = [
            i
            for i in store.invoices.values()
            if i["customer"] == portal["customer"] and i["status"] != "draft"
        ]
        invoices.reverse()
        parts.append('<h2>Invoice history</h2><ul id="invoices">')
        for inv in invoices:
            link = inv.get("hosted_invoice_url") or f"/invoice/{inv['id']}"
            parts.append(
                f'<li class="invoice" data-status="{escape(inv["status"])}">'
                f'<a href="{escape(link)}">{escape(date(inv["created"]))}</a> · '
                f"{escape(money(inv['total'], inv['currency']))} · {escape(inv['status'])}</li>"
            )
        parts.append("</ul>")
    parts.append(_return_link(portal))
    return _page("Billing portal", "".join(parts))
