// MintKit Hub — the public storefront and its counter poster (progressive: without
// JavaScript "Share" is a plain link to the page and the poster prints from the browser menu).
(() => {
  "use strict";

  // Copy text to the clipboard: the async Clipboard API, else a selected textarea.
  async function copyText(text) {
    try {
      if (navigator.clipboard && window.isSecureContext) {
        await navigator.clipboard.writeText(text);
        return true;
      }
    } catch (_error) {
      // Refused (permissions, an old browser): try the older way below.
    }
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "sf-offscreen";
    document.body.append(area);
    area.select();
    let copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (_error) {
      copied = false;
    }
    area.remove();
    return copied;
  }

  const share = document.querySelector(".js-share");
  const status = document.querySelector(".storefront-share-status");
  if (share && status) {
    share.addEventListener("click", async (event) => {
      event.preventDefault();
      const data = { title: share.dataset.shareTitle || document.title, url: share.href };
      if (navigator.share && (!navigator.canShare || navigator.canShare(data))) {
        try {
          await navigator.share(data);
          return;
        } catch (error) {
          if (error && error.name === "AbortError") return; // the person closed the sheet
        }
      }
      status.textContent = (await copyText(share.href))
        ? "Link copied"
        : `Copy this link: ${share.href}`;
    });
  }

  document.querySelectorAll(".js-print").forEach((button) => {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  });
})();
