"""Parameters implemented by the billing routes of the emu-billing branch (portal
configurations, subscription items / proration, invoice preview, 3-D Secure, disputes).

Same convention as ``implemented.py`` (read its docstring): keys are
``(HTTP method, route regex string exactly as passed to Api._route)``, values the set of
parameter names in bracket form; a name covers everything below it, ``[]`` (or any ``[0]``)
stands for every list index. Merged into ``implemented.IMPLEMENTED``.
"""

from __future__ import annotations

IMPLEMENTED_PARAMS: dict[tuple[str, str], set[str]] = {}
