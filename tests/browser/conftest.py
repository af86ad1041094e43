"""Every browser test fails on a Content-Security-Policy violation.

The project's ``page`` fixture (conftest.py) is wrapped here: Chromium reports each blocked
script, style, image, frame or form target twice — a ``securitypolicyviolation`` event in the
document and a console error ("Refused to … because it violates the following Content
Security Policy directive …") — and both are collected, from every frame and every page of
the test's browser context (the emulator's hosted Checkout included). A test that provokes a
violation on purpose reads and clears ``csp_violations`` itself.
"""

import pytest

# Runs in every document before its own scripts (Playwright injects it over CDP, outside
# the page's CSP) and forwards each violation to Python.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__mkReportCspViolation({
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    page: event.documentURI,
    sample: event.sample,
    disposition: event.disposition,
  });
});
"""


def is_csp_console_message(text: str) -> bool:
    return "Content Security Policy" in text or "Content-Security-Policy" in text


@pytest.fixture
def csp_violations():
    """What the browser refused during this test, as readable strings."""
    return []


@pytest.fixture
def page(page, csp_violations):
    context = page.context

    def on_console(message):
        if is_csp_console_message(message.text):
            csp_violations.append(f"console: {message.text}")

    def on_violation(_source, report):
        csp_violations.append(f"event: {report}")

    context.expose_binding("__mkReportCspViolation", on_violation)
    context.add_init_script(REPORT_VIOLATIONS)
    context.on("console", on_console)
    yield page
    assert not csp_violations, "Content-Security-Policy violations:\n" + "\n".join(csp_violations)
