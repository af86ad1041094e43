// MintKit Hub — the owner dashboard's share panel (progressive: without JavaScript the
// link is a read-only field to select and copy by hand, and the Copy button stays hidden).
(() => {
  "use strict";

  // Copy text to the clipboard: the async Clipboard API, else the selected field.
  async function copyFrom(field) {
    try {
      if (navigator.clipboard && window.isSecureContext) {
        await navigator.clipboard.writeText(field.value);
        return true;
      }
    } catch (_error) {
      // Refused (permissions, an old browser): try the older way below.
    }
    field.focus();
    field.select();
    try {
      return document.execCommand("copy");
    } catch (_error) {
      return false;
    }
  }

  document.querySelectorAll(".js-copy-link").forEach((button) => {
    const field = document.getElementById(button.dataset.copyTarget);
    const status = document.getElementById("share-status");
    if (!field || !status) return;
    button.hidden = false;
    button.addEventListener("click", async () => {
      if (await copyFrom(field)) {
        status.textContent = "Link copied";
      } else {
        // Nothing could be copied: leave the link selected for Ctrl+C / long-press.
        field.focus();
        field.select();
        status.textContent = "Press Ctrl+C (or ⌘C) to copy the selected link";
      }
    });
  });
})();
