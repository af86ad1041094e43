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


def portal_page(portal: dict, store, error: str | None = None, notice: str | None = None) -> str:
    customer = store.customers.get(portal["customer"], {})
    subs = [s for s in store.subscriptions.values() if s["customer"] == portal["customer"]]
    subs.reverse()
    parts = [
        "<h1>Manage your subscription</h1>",
        f'<p class="muted" id="customer-email">{escape(customer.get("email") or "")}</p>',
    ]
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
                buttons.append(("resume", "resume", "Resume", "secondary"))
            else:
                buttons.append(
                    (
                        "cancel_at_period_end",
                        "cancel-at-period-end",
                        "Cancel at period end",
                        "secondary",
                    )
                )
            buttons.append(("cancel_now", "cancel-now", "Cancel now", "danger"))
            for action, bid, label, cls in buttons:
                parts.append(
                    f'<form class="inline" method="post" '
                    f'action="/portal/{escape(portal["id"])}">'
                    f'<input type="hidden" name="action" value="{action}">'
                    f'<input type="hidden" name="subscription" value="{sid}">'
                    f'<button type="submit" class="{cls}" id="{bid}{suffix}">{label}'
                    "</button></form> "
                )
        parts.append("</div>")
    pm_id = customer.get("invoice_settings", {}).get("default_payment_method")
    if not pm_id:
        for sub in subs:
            pm_id = pm_id or sub.get("default_payment_method")
    pm = store.payment_methods.get(pm_id or "")
    parts.append("<h2>Payment method</h2>")
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
    if portal.get("return_url"):
        parts.append(
            f'<p><a href="{escape(portal["return_url"])}" id="return">Return to MintKit Hub</a></p>'
        )
    return _page("Billing portal", "".join(parts))
