// MintKit Hub — small site-wide enhancements (progressive: the site works without them).
(() => {
  "use strict";
  // Success and info alerts close themselves after a while; errors stay until dismissed.
  document.querySelectorAll(".alert-success.alert-dismissible, .alert-info.alert-dismissible")
    .forEach((alert) => {
      window.setTimeout(() => {
        const Alert = window.bootstrap && window.bootstrap.Alert;
        if (Alert) Alert.getOrCreateInstance(alert).close();
      }, 8000);
    });
})();
