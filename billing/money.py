"""Money as billing writes it (pricing, checkout, the success page, next-charge lines,
banners, the Studio page, e-mails, the admin): ``core.money``, the hub's one formatter."""

from __future__ import annotations

from core.money import money_display

__all__ = ["money_display"]
