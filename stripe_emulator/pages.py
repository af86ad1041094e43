"""Hosted HTML pages: checkout (``/checkout/<cs_id>``), 3-D Secure, the hosted invoice page
(``/invoice/<in_id>``) and messages; the portal's are in :mod:`stripe_emulator.portal_pages`."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .store import Store

import datetime as dt
from html import escape

from .objects import money
from .stripe_types import Params, StripeObject

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


def price_text(price: StripeObject) -> str:
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


def checkout_page(
    session: StripeObject, store: Store, error: str | None = None, form: Params | None = None
) -> str:
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
    name: str = product["name"] if "name" in product else price["product"]
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
    title: str,
    action: str,
    hidden: StripeObject,
    amount_text: str | None,
    cancel_link: str | None = None,
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


def invoice_page(
    inv: StripeObject, store: Store, error: str | None = None, notice: str | None = None
) -> str:
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
