// The storefront editor's theme preview (templates/storefronts/editor.html, "Look"): a small
// sample that wears the chosen theme and brand colour as the owner picks them, before
// anything is saved. Without JavaScript the sample stays hidden and the select does the job.
(function () {
  "use strict";
  var figure = document.querySelector("[data-testid=theme-preview-figure]");
  var sample = document.querySelector("[data-testid=theme-preview]");
  var form = sample && sample.closest("form");
  if (!figure || !form) return;
  var theme = form.querySelector("[name='theme']");
  var colour = form.querySelector("[name='brand_colour']");
  var name = form.querySelector("[name='name']");
  var sampleName = sample.querySelector(".js-theme-preview-name");

  function update() {
    if (theme) sample.setAttribute("data-theme", theme.value);
    // The colour is only ever a #rrggbb the colour input gives; set through the CSSOM,
    // which the CSP allows (no style="" attribute is written).
    if (colour && /^#[0-9a-fA-F]{6}$/.test(colour.value)) {
      sample.style.setProperty("--sf-brand", colour.value);
    }
    if (name && sampleName) sampleName.textContent = name.value.trim() || "Your business";
  }

  [theme, colour, name].forEach(function (input) {
    if (!input) return;
    input.addEventListener("input", update);
    input.addEventListener("change", update);
  });
  figure.hidden = false;
  update();
})();
