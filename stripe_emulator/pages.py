"""Hosted HTML pages: checkout (``/checkout/<cs_id>``) and customer portal
(``/portal/<bps_id>``)."""

from __future__ import annotations

import datetime as dt
from html import escape

from .objects import money

CSS = """
body{font-family:-apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,sans-serif;background:#f6f9fc;
color:#1a1f36;margin:0;padding:40px 16px}
main{max-width:520px;margin:0 auto;background:#fff;border-radius:8px;padding:32px;
box-shadow:0 2px 8px rgba(0,0,0,.08)}
h1{font-size:22px;margin:0 0 8px}h2{font-size:17px;margin:24px 0 8px}
.badge{display:inline-block;background:#ffde92;color:#6e4b00;font-size:12px;padding:2px 8px;
border-radius:4px;margin-bottom:16px}
.price{font-size:28px;font-weight:600;margin:4px 0}.muted{color:#697386}
.trial{color:#0a7d48;font-weight:600}
label{display:block;font-size:14px;margin:16px 0 4px}
input[type=text],input[type=email]{width:100%;box-sizing:border-box;padding:10px;font-size:16px;
border:1px solid #cfd7df;border-radius:6px}
input[readonly]{background:#f1f4f8}
button{background:#635bff;color:#fff;border:0;border-radius:6px;padding:10px 16px;font-size:15px;
cursor:pointer;margin-top:12px}
button.secondary{background:#fff;color:#1a1f36;border:1px solid #cfd7df}
button.danger{background:#df1b41}
.error{background:#fde8ec;color:#a4122f;padding:10px;border-radius:6px;margin:12px 0}
.notice{background:#e3f8ee;color:#0a5a35;padding:10px;border-radius:6px;margin:12px 0}
.sub{border:1px solid #e3e8ee;border-radius:6px;padding:16px;margin:12px 0}
form.inline{display:inline}a{color:#635bff}
"""


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title>"
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<style>{CSS}</style></head><body><main>"
        '<div class="badge">TEST MODE · Stripe emulator</div>'
        f"{body}</main></body></html>"
    )


def date(ts: int | None) -> str:
    if not ts:
        return "—"
    return dt.datetime.fromtimestamp(ts, tz=dt.UTC).strftime("%-d %B %Y")


def price_text(price: dict) -> str:
    amount = money(price["unit_amount"], price["currency"])
    rec = price.get("recurring")
    if not rec:
        return amount
    if rec["interval_count"] == 1:
        return f"{amount} per {rec['interval']}"
    return f"{amount} every {rec['interval_count']} {rec['interval']}s"


def message_page(title: str, text: str, link: str | None = None, link_text: str = "Return") -> str:
    body = f'<h1>{escape(title)}</h1><p class="muted">{escape(text)}</p>'
    if link:
        body += f'<p><a href="{escape(link)}">{escape(link_text)}</a></p>'
    return _page(title, body)


def checkout_page(session: dict, store, error: str | None = None, form: dict | None = None) -> str:
    form = form or {}
    if session["status"] == "complete":
        return message_page(
            "This checkout session is already complete",
            "You have already paid for this subscription.",
            session.get("success_url", "").replace("{CHECKOUT_SESSION_ID}", session["id"]),
            "Continue",
        )
    if session["status"] == "expired":
        return message_page(
            "This checkout session has expired",
            "Please go back and start again.",
            session.get("cancel_url"),
            "Go back",
        )
    li = session["_line_items"][0]
    price = store.prices[li["price"]]
    product = store.products.get(price["product"], {})
    name = product.get("name", price["product"])
    trial_days = session.get("_trial_days")
    customer = store.customers.get(session.get("customer") or "")
    email = (customer or {}).get("email") or session.get("customer_email")
    parts = [f'<h1 id="plan">{escape(name)}</h1>']
    if product.get("description"):
        parts.append(f'<p class="muted">{escape(product["description"])}</p>')
    qty = f" × {li['quantity']}" if li["quantity"] != 1 else ""
    parts.append(f'<p class="price" id="price">{escape(price_text(price))}{escape(qty)}</p>')
    if trial_days:
        parts.append(f'<p class="trial" id="trial">{trial_days} days free</p>')
        parts.append(
            f'<p class="muted">Then {escape(price_text(price))}, starting after your trial.</p>'
        )
    if error:
        parts.append(f'<div class="error" id="error" role="alert">{escape(error)}</div>')
    email_attr = (
        f' value="{escape(email)}" readonly'
        if email
        else (f' value="{escape(form.get("email", ""))}"')
    )
    parts.append(
        f'<form method="post" action="/checkout/{escape(session["id"])}">'
        f'<label for="email">Email</label>'
        f'<input type="email" name="email" id="email" required{email_attr}>'
        '<label for="card_number">Card number</label>'
        '<input type="text" name="card_number" id="card_number" inputmode="numeric" '
        'autocomplete="cc-number" placeholder="4242 4242 4242 4242" required '
        f'value="{escape(form.get("card_number", ""))}">'
        '<p class="muted">Test cards: 4242 4242 4242 4242 (succeeds), '
        "4000 0000 0000 0341 (charges fail), 4000 0000 0000 0002 (declined).</p>"
        f'<button type="submit" id="submit">{"Start trial" if trial_days else "Subscribe"}'
        "</button></form>"
    )
    if session.get("cancel_url"):
        parts.append(f'<p><a href="{escape(session["cancel_url"])}" id="cancel">Cancel</a></p>')
    return _page(f"Subscribe to {name}", "".join(parts))


def authenticate_page(
    title: str, action: str, hidden: dict, amount_text: str | None, cancel_link: str | None = None
) -> str:
    """The 3-D Secure step: the bank's challenge, completed or failed by the tester."""
    fields = "".join(
        f'<input type="hidden" name="{escape(k)}" value="{escape(v or "")}">'
        for k, v in hidden.items()
    )
    parts = [
        '<h1 id="authenticate">Authenticate your payment</h1>',
        '<p class="muted">Your bank asks you to confirm this payment (3-D Secure test page).</p>',
    ]
    if amount_text:
        parts.append(f'<p class="price" id="amount">{escape(amount_text)}</p>')
    for result, label, cls, bid in (
        ("complete", "Complete authentication", "", "authenticate-complete"),
        ("fail", "Fail authentication", "danger", "authenticate-fail"),
    ):
        parts.append(
            f'<form class="inline" method="post" action="{escape(action)}">{fields}'
            f'<input type="hidden" name="authenticate" value="{result}">'
            f'<button type="submit" class="{cls}" id="{bid}">{label}</button></form> '
        )
    if cancel_link:
        parts.append(f'<p><a href="{escape(cancel_link)}" id="cancel">Cancel</a></p>')
    return _page(title, "".join(parts))


def invoice_page(inv: dict, store, error: str | None = None, notice: str | None = None) -> str:
    """The hosted invoice page (``hosted_invoice_url``): pay an open invoice, with 3-D
    Secure when its PaymentIntent requires action."""
    amount = money(inv["amount_due"], inv["currency"])
    parts = [
        f'<h1 id="invoice-number">Invoice {escape(inv["number"] or inv["id"])}</h1>',
        f'<p class="muted">{escape(inv["account_name"])} · '
        f"{escape(inv.get('customer_email') or '')}</p>",
        f'<p class="price" id="amount-due">{escape(amount)}</p>',
        f'<p id="status" data-status="{escape(inv["status"])}">Status: {escape(inv["status"])}</p>',
    ]
    if error:
        parts.append(f'<div class="error" id="error" role="alert">{escape(error)}</div>')
    if notice:
        parts.append(f'<div class="notice" id="notice">{escape(notice)}</div>')
    parts.append('<ul id="lines">')
    for line in inv["lines"]["data"]:
        parts.append(
            f"<li>{escape(line['description'] or '')} — "
            f"{escape(money(line['amount'], line['currency']))}</li>"
        )
    parts.append("</ul>")
    pi = store.payment_intents.get(inv.get("_payment_intent") or "")
    action = f"/invoice/{inv['id']}"
    if inv["status"] == "open" and pi is not None and pi["status"] == "requires_action":
        parts.append(
            '<p id="requires-action">This payment needs your authentication.</p>'
            f'<form method="post" action="{escape(action)}">'
            '<input type="hidden" name="action" value="authenticate">'
            '<button type="submit" id="authenticate-and-pay">Authenticate and pay '
            f"{escape(amount)}</button></form>"
        )
    elif inv["status"] == "open":
        parts.append(
            f'<form method="post" action="{escape(action)}">'
            '<input type="hidden" name="action" value="pay">'
            '<label for="card_number">Card number</label>'
            '<input type="text" name="card_number" id="card_number" inputmode="numeric" '
            'placeholder="4242 4242 4242 4242" required>'
            f'<button type="submit" id="pay">Pay {escape(amount)}</button></form>'
        )
    elif inv["status"] == "paid":
        parts.append(
            f'<p class="trial" id="paid">Paid on {date(inv["status_transitions"]["paid_at"])}</p>'
        )
    return _page(f"Invoice {inv['number'] or inv['id']}", "".join(parts))


def _portal_configuration(portal: dict, store) -> dict:
    return store.portal_configurations.get(portal.get("configuration") or "") or {}


def portal_allows(conf: dict, action: str) -> bool:
    """Whether the portal's configuration offers ``action``. The emulator's seeded default
    configuration (``_legacy_actions``) keeps both cancel modes and the card form."""
    legacy = bool(conf.get("_legacy_actions"))
    features = conf.get("features") or {}
    cancel = features.get("subscription_cancel") or {}
    if action == "cancel_at_period_end":
        return legacy or (cancel.get("enabled") and cancel.get("mode") == "at_period_end")
    if action == "cancel_now":
        return legacy or (cancel.get("enabled") and cancel.get("mode") == "immediately")
    if action == "resume":
        return True
    if action == "update_card":
        return legacy or bool((features.get("payment_method_update") or {}).get("enabled"))
    if action == "switch":
        return bool((features.get("subscription_update") or {}).get("enabled"))
    if action == "invoice_history":
        return bool((features.get("invoice_history") or {}).get("enabled"))
    return False


def portal_switch_prices(conf: dict, store, sub: dict) -> list[dict]:
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


def _card_form(portal: dict, heading: str = "Payment method", pm=None) -> list[str]:
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


def _default_pm(store, customer: dict, subs: list):
    pm_id = customer.get("invoice_settings", {}).get("default_payment_method")
    if not pm_id:
        for sub in subs:
            pm_id = pm_id or sub.get("default_payment_method")
    return store.payment_methods.get(pm_id or "")


def _return_link(portal: dict) -> str:
    if not portal.get("return_url"):
        return ""
    return f'<p><a href="{escape(portal["return_url"])}" id="return">Return to MintKit Hub</a></p>'


def portal_flow_page(portal: dict, store, preview: dict | None, error: str | None = None) -> str:
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


def _preview_text(preview: dict) -> str:
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
    portal: dict,
    store,
    error: str | None = None,
    notice: str | None = None,
    previews: dict | None = None,
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
            buttons = []
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
