// Continue-to-checkout page: submit the one-button form for the owner who has just signed
// up or logged in to subscribe (the server marks only that form data-autosubmit).
// Without JavaScript the button is still there to press.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-autosubmit]");
  if (form && !sessionStorage.getItem("mk-autosubmitted:" + form.action)) {
    // Only once per tab, so the back button does not bounce the owner to Stripe again.
    sessionStorage.setItem("mk-autosubmitted:" + form.action, "1");
    form.requestSubmit ? form.requestSubmit() : form.submit();
  }
});
