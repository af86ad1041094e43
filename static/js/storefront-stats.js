// Storefront stats chart: show the day's numbers when a bar is hovered or focused.
(function () {
  "use strict";
  document.querySelectorAll(".js-stats-chart").forEach(function (figure) {
    var readout = figure.querySelector(".js-stats-readout");
    var days = figure.querySelectorAll(".stats-day");
    function count(n, word) { return n + " " + word + (n === "1" ? "" : "s"); }
    function show(day) {
      if (!readout) return;
      // A chart other than views and clicks (Studio sales) writes its own line.
      readout.textContent = day.dataset.readout || (day.dataset.date + ": " +
        count(day.dataset.views, "view") + ", " + count(day.dataset.clicks, "click"));
    }
    days.forEach(function (day, i) {
      day.setAttribute("tabindex", i === days.length - 1 ? "0" : "-1");
      day.addEventListener("mouseenter", function () { show(day); });
      day.addEventListener("focus", function () { show(day); });
      day.addEventListener("keydown", function (event) {
        var next = null;
        if (event.key === "ArrowLeft") next = days[i - 1];
        if (event.key === "ArrowRight") next = days[i + 1];
        if (next) { event.preventDefault(); next.focus(); }
      });
    });
    if (days.length) show(days[days.length - 1]);
  });
})();
