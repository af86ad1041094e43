"""Request handling of the hosted pages (checkout, portal, invoice) and of the
``/_emulator/`` helpers for refunds and disputes. Called by the HTTP server with the store
lock held; each function returns ``("html", status, html)``, ``("redirect", location)`` or
``("json", status, body)``."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import quote

from . import pages, portal_pages
from .api.payments import REFUND_REASONS
from .billing import AuthenticationRequired, CardError, card_for_use, complete_checkout
from .objects import money
from .params import ParamError, get_int, get_str
from .stripe_types import HostedResult, Params, Previews, StripeObject

if TYPE_CHECKING:
    from .server import EmulatorServer

DISPUTE_REASONS = (
    "bank_cannot_process",
    "check_returned",
    "credit_not_processed",
    "customer_initiated",
    "debit_not_authorized",
    "duplicate",
    "fraudulent",
    "general",
    "incorrect_account_details",
    "insufficient_funds",
    "noncompliant",
    "product_not_received",
    "product_unacceptable",
    "subscription_canceled",
    "unrecognized",
)


def _html(status: int, html: str) -> HostedResult:
    return ("html", status, html)


def _authenticate(
    title: str,
    action: str,
    hidden: StripeObject,
    amount_text: str | None,
    cancel_link: str | None = None,
) -> HostedResult:
    """The 3-D Secure step a card needs before it can be used (200)."""
    return _html(200, pages.authenticate_page(title, action, hidden, amount_text, cancel_link))


def _card_or_authenticate(
    form: Params, title: str, action: str, form_action: str, amount_text: str | None
) -> str | HostedResult:
    """The digits of the card the form gives, or the 3-D Secure step it needs first (posting
    ``form_action`` and the card back to ``action``). A CardError passes through."""
    try:
        return card_for_use(form.get("card_number"), form.get("authenticate"))
    except AuthenticationRequired:
        return _authenticate(
            title,
            action,
            {"action": form_action, "card_number": form.get("card_number")},
            amount_text,
        )


# -- checkout --------------------------------------------------------------------------------


def checkout_post(emu: EmulatorServer, session: StripeObject, form: Params) -> HostedResult:
    store = emu.store
    try:
        complete_checkout(
            emu.billing,
            session,
            form.get("email"),
            form.get("card_number"),
            form.get("authenticate"),
        )
    except AuthenticationRequired:
        li = session["_line_items"][0]
        price = store.prices[li["price"]]
        amount = None if session.get("_trial_days") else pages.price_text(price)
        return _authenticate(
            "Authenticate your card",
            f"/checkout/{session['id']}",
            {"email": form.get("email"), "card_number": form.get("card_number")},
            amount,
            session.get("cancel_url"),
        )
    except CardError as exc:
        return _html(200, pages.checkout_page(session, store, exc.message, form))
    store.save()
    return ("redirect", session["success_url"].replace("{CHECKOUT_SESSION_ID}", session["id"]))


# -- hosted invoice page --------------------------------------------------------------------


def invoice(
    emu: EmulatorServer, method: str, invoice_id: str, form: Params, notice: str | None = None
) -> HostedResult:
    store = emu.store
    inv = store.invoices.get(invoice_id)
    if inv is None or inv["status"] == "draft":
        return _html(404, pages.message_page("Invoice not found", "This invoice link is invalid."))
    if method == "GET":
        return _html(200, pages.invoice_page(inv, store, notice=notice))
    if inv["status"] != "open":
        return _html(409, pages.invoice_page(inv, store, error="This invoice is not open."))
    at = emu.billing.now_for_customer(store.customers.get(inv["customer"]))
    action = form.get("action")
    pi = store.payment_intents.get(inv.get("_payment_intent") or "")
    amount = money(inv["amount_due"], inv["currency"])
    if action == "authenticate" and pi is not None and pi["status"] == "requires_action":
        result = form.get("authenticate")
        if result not in ("complete", "fail"):
            return _authenticate(
                "Authenticate your payment",
                f"/invoice/{inv['id']}",
                {"action": "authenticate"},
                amount,
            )
        paid = emu.billing.authenticate_invoice(inv, result, at)
        store.save()
        if not paid:
            return _html(
                402,
                pages.invoice_page(
                    inv, store, error="Authentication failed. Pay with another card."
                ),
            )
        return ("redirect", f"/invoice/{inv['id']}?msg={quote('Payment complete.')}")
    if action == "pay":
        try:
            number = _card_or_authenticate(
                form, "Authenticate your payment", f"/invoice/{inv['id']}", "pay", amount
            )
        except CardError as exc:
            return _html(402, pages.invoice_page(inv, store, error=exc.message))
        if not isinstance(number, str):
            return number
        paid = emu.billing.pay_invoice_with_card(inv, number, at)
        store.save()
        if not paid:
            return _html(402, pages.invoice_page(inv, store, error="Your card was declined."))
        return ("redirect", f"/invoice/{inv['id']}?msg={quote('Payment complete.')}")
    return _html(400, pages.invoice_page(inv, store, error="Unknown action."))


# -- portal -----------------------------------------------------------------------------------


def _previews(emu: EmulatorServer, portal: StripeObject, conf: StripeObject) -> Previews:
    store = emu.store
    behavior = conf["features"]["subscription_update"]["proration_behavior"]
    previews: Previews = {}
    customer = store.customers.get(portal["customer"])
    if customer is None:
        return previews
    at = emu.billing.now_for_customer(customer)
    for sub in store.subscriptions.values():
        if sub["customer"] != customer["id"] or sub["status"] in ("canceled",):
            continue
        item = sub["items"]["data"][0]
        for price in portal_pages.portal_switch_prices(conf, store, sub):
            previews[(sub["id"], price["id"])] = emu.billing.preview_invoice(
                sub, customer, (item, price, item["quantity"]), behavior, at
            )
    return previews


def _flow_preview(
    emu: EmulatorServer, portal: StripeObject, conf: StripeObject
) -> StripeObject | None:
    flow = portal["flow"]
    if flow["type"] != "subscription_update_confirm":
        return None
    store = emu.store
    confirm = flow["subscription_update_confirm"]
    sub = store.subscriptions[confirm["subscription"]]
    customer = store.customers[sub["customer"]]
    item = next(
        (i for i in sub["items"]["data"] if i["id"] == confirm["items"][0]["id"]),
        sub["items"]["data"][0],
    )
    price = store.prices[confirm["items"][0]["price"]]
    return emu.billing.preview_invoice(
        sub,
        customer,
        (item, price, confirm["items"][0]["quantity"]),
        conf["features"]["subscription_update"]["proration_behavior"],
        emu.billing.now_for_customer(customer),
    )


def _flow_open(portal: StripeObject) -> bool:
    return bool(portal.get("flow")) and not portal.get("_flow_done")


def portal_get(emu: EmulatorServer, portal: StripeObject, notice: str | None) -> HostedResult:
    store = emu.store
    conf = store.portal_configurations.get(portal.get("configuration") or "") or {}
    if _flow_open(portal):
        return _html(
            200, portal_pages.portal_flow_page(portal, store, _flow_preview(emu, portal, conf))
        )
    if portal.get("flow") and portal["flow"]["after_completion"]["type"] == "hosted_confirmation":
        message = (portal["flow"]["after_completion"]["hosted_confirmation"] or {}).get(
            "custom_message"
        ) or "Your changes have been saved."
        return _html(200, pages.message_page("Done", message, portal.get("return_url")))
    previews = _previews(emu, portal, conf) if conf else {}
    return _html(200, portal_pages.portal_page(portal, store, notice=notice, previews=previews))


def _after_flow(portal: StripeObject, msg: str) -> HostedResult:
    portal["_flow_done"] = True
    after = portal["flow"]["after_completion"]
    if after["type"] == "redirect":
        return ("redirect", after["redirect"]["return_url"])
    return ("redirect", f"/portal/{portal['id']}?msg={quote(msg)}")


def portal_post(emu: EmulatorServer, portal: StripeObject, form: Params) -> HostedResult:
    store = emu.store
    billing = emu.billing
    conf = store.portal_configurations.get(portal.get("configuration") or "") or {}
    customer = store.customers.get(portal["customer"])
    if customer is None:
        return _html(404, pages.message_page("Customer not found", "Customer deleted."))
    at = billing.now_for_customer(customer)
    action = form.get("action")
    in_flow = _flow_open(portal)

    def error_page(status: int, message: str) -> HostedResult:
        if in_flow:
            preview = _flow_preview(emu, portal, conf)
            return _html(status, portal_pages.portal_flow_page(portal, store, preview, message))
        return _html(status, portal_pages.portal_page(portal, store, error=message))

    if in_flow:
        allowed = {
            "payment_method_update": ("update_card",),
            "subscription_update_confirm": ("confirm_update",),
        }[portal["flow"]["type"]]
        if action not in allowed:
            return error_page(400, "This link only allows one action.")
    if action == "confirm_update" and in_flow:
        confirm = portal["flow"]["subscription_update_confirm"]
        sub = store.subscriptions[confirm["subscription"]]
        if sub["status"] not in ("active", "trialing", "past_due"):
            return error_page(409, "This subscription can no longer be changed.")
        item = next((i for i in sub["items"]["data"] if i["id"] == confirm["items"][0]["id"]), None)
        if item is None:
            return error_page(409, "This subscription can no longer be changed.")
        billing.change_price(
            sub,
            customer,
            item,
            store.prices[confirm["items"][0]["price"]],
            confirm["items"][0]["quantity"],
            conf["features"]["subscription_update"]["proration_behavior"],
            at,
        )
        store.save()
        return _after_flow(portal, "Your plan has been updated.")
    if action == "update_card":
        if not in_flow and not portal_pages.portal_allows(conf, "update_card"):
            return error_page(403, "This portal does not allow updating the payment method.")
        try:
            number = _card_or_authenticate(
                form, "Authenticate your card", f"/portal/{portal['id']}", "update_card", None
            )
        except CardError as exc:
            return error_page(200, exc.message)
        if not isinstance(number, str):
            return number
        billing.update_card(customer, number, at)
        store.save()
        if in_flow:
            return _after_flow(portal, "Your card has been updated.")
        return ("redirect", f"/portal/{portal['id']}?msg={quote('Your card has been updated.')}")
    found = store.subscriptions.get(form.get("subscription") or "")
    known = ("cancel_at_period_end", "resume", "cancel_now", "switch")
    if found is None or found["customer"] != customer["id"] or action not in known:
        return error_page(200, "Unknown action or subscription.")
    sub = found
    if not portal_pages.portal_allows(conf, action):
        return error_page(403, "This portal does not allow that action.")
    if sub["status"] in ("canceled", "incomplete_expired"):
        return error_page(409, "This subscription has ended.")
    if action == "cancel_at_period_end":
        billing.set_cancel_at_period_end(sub, True, at)
        msg = "Your subscription will be canceled at the end of the period."
    elif action == "resume" and not sub["cancel_at_period_end"]:
        billing.set_cancel_at(sub, None, at)
        msg = "Your subscription has been renewed."
    elif action == "resume":
        billing.set_cancel_at_period_end(sub, False, at)
        msg = "Your subscription has been renewed."
    elif action == "switch":
        price = next(
            (
                p
                for p in portal_pages.portal_switch_prices(conf, store, sub)
                if p["id"] == form.get("price")
            ),
            None,
        )
        if price is None:
            return error_page(403, "This portal does not offer that price.")
        item = sub["items"]["data"][0]
        billing.change_price(
            sub,
            customer,
            item,
            price,
            item["quantity"],
            conf["features"]["subscription_update"]["proration_behavior"],
            at,
        )
        msg = "Your plan has been updated."
    else:
        cancel = (conf.get("features") or {}).get("subscription_cancel") or {}
        if cancel.get("proration_behavior") == "create_prorations" and not conf.get(
            "_legacy_actions"
        ):
            billing.cancel_with_proration(sub, customer, at)
        else:
            billing.cancel_now(sub, at)
        msg = "Your subscription has been canceled."
    store.save()
    return ("redirect", f"/portal/{portal['id']}?msg={quote(msg)}")


# -- /_emulator/ helpers: refunds and disputes ----------------------------------------------


def _error(
    status: int, message: str, param: str | None = None, code: str | None = None
) -> HostedResult:
    body = {"error": {"type": "invalid_request_error", "message": message}}
    if param:
        body["error"]["param"] = param
    if code:
        body["error"]["code"] = code
    return ("json", status, body)


def control(emu: EmulatorServer, method: str, name: str, params: Params) -> HostedResult | None:
    """``POST /_emulator/charges/<ch>/refund``, ``.../charges/<ch>/dispute`` and
    ``.../disputes/<dp>/close``; None when ``name`` is not one of them."""
    parts = name.split("/")
    if len(parts) != 3 or parts[0] not in ("charges", "disputes") or method != "POST":
        return None
    kind, obj_id, verb = parts
    store = emu.store
    billing = emu.billing
    try:
        if kind == "charges" and verb in ("refund", "dispute"):
            ch = store.charges.get(obj_id)
            if ch is None:
                return _error(404, f"No such charge: '{obj_id}'", "charge", "resource_missing")
            at = billing.now_for_customer(store.customers.get(ch["customer"] or ""))
            amount = get_int(params, "amount")
            if verb == "refund":
                reason = get_str(params, "reason")
                if reason is not None and reason not in REFUND_REASONS:
                    return _error(400, f"Invalid reason: {reason}", "reason")
                obj = billing.refund_charge(ch, amount, reason, {}, at)
            else:
                reason = get_str(params, "reason") or "fraudulent"
                if reason not in DISPUTE_REASONS:
                    return _error(400, f"Invalid reason: {reason}", "reason")
                obj = billing.open_dispute(ch, amount, reason, at)
        elif kind == "disputes" and verb == "close":
            dp = store.disputes.get(obj_id)
            if dp is None:
                return _error(404, f"No such dispute: '{obj_id}'", "dispute", "resource_missing")
            outcome = get_str(params, "outcome") or ""
            if outcome not in ("won", "lost"):
                return _error(400, "outcome must be won or lost", "outcome")
            ch = store.charges[dp["charge"]]
            at = billing.now_for_customer(store.customers.get(ch["customer"] or ""))
            obj = billing.close_dispute(dp, outcome, at)
        else:
            return None
    except ParamError as exc:
        return _error(400, exc.message, exc.param, exc.code)
    store.save()
    return ("json", 200, {k: v for k, v in obj.items() if not k.startswith("_")})
