// Storefront editor: progressive enhancements on top of a form that works without JS.
// Live slug preview + availability check, character counters, add/remove/reorder rows
// of the offer, hours and special-date formsets, a live preview of the page, collapsible
// sections, the "Same hours every weekday" shortcut and special dates' "Closed" tick.
(function () {
  "use strict";
  var form = document.querySelector(".js-storefront-editor");
  if (!form) return;

  document.querySelectorAll(".js-only").forEach(function (el) { el.hidden = false; });
  form.querySelectorAll(".js-delete-field, .js-order-field").forEach(function (el) {
    el.hidden = true;
  });

  // ----- character counters -----
  function initCounters(root) {
    root.querySelectorAll(".js-counter").forEach(function (counter) {
      var input = document.getElementById(counter.dataset.counterFor);
      if (!input || !input.maxLength || input.maxLength < 0) return;
      counter.id = input.id + "-counter";
      input.setAttribute("aria-describedby",
        ((input.getAttribute("aria-describedby") || "") + " " + counter.id).trim());
      counter.hidden = false;
      function update() {
        var used = input.value.length, max = input.maxLength;
        counter.textContent = used + " / " + max + " characters";
        counter.classList.toggle("is-near-limit", used >= max * 0.9);
      }
      input.addEventListener("input", update);
      update();
    });
  }
  initCounters(form);

  // ----- slug preview and availability -----
  var nameInput = form.querySelector("[name=name]");
  var slugInput = form.querySelector("[name=slug]");
  var preview = form.querySelector(".js-slug-preview");
  var slugUrl = form.querySelector(".js-slug-url");
  var slugStatus = form.querySelector(".js-slug-status");
  var slugTouched = slugInput.value !== "";
  var checkTimer = null, lastChecked = null;

  function slugify(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/&/g, " and ").replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "")
      .slice(0, 50).replace(/-+$/, "");
  }
  function showSlug() {
    var slug = slugInput.value.trim().toLowerCase();
    preview.hidden = slug === "";
    slugUrl.textContent = form.dataset.publicPrefix + slug + "/";
    clearTimeout(checkTimer);
    if (!slug) return;
    slugStatus.textContent = "checking…";
    slugStatus.className = "js-slug-status text-body-secondary";
    checkTimer = setTimeout(function () { checkSlug(slug); }, 300);
  }
  function checkSlug(slug) {
    lastChecked = slug;
    fetch(form.dataset.slugCheckUrl + "?slug=" + encodeURIComponent(slug), {
      headers: { Accept: "application/json" }, credentials: "same-origin",
    }).then(function (r) { return r.json(); }).then(function (data) {
      if (data.slug !== lastChecked) return;  // a newer check is under way
      var text = { available: "✓ available", taken: "✗ already taken" }[data.status] ||
        "✗ " + (data.message || "not a valid address");
      slugStatus.textContent = text;
      slugStatus.className = "js-slug-status fw-semibold " +
        (data.status === "available" ? "text-success" : "text-danger");
      slugStatus.dataset.status = data.status;
    }).catch(function () { slugStatus.textContent = ""; });
  }
  slugInput.addEventListener("input", function () { slugTouched = true; showSlug(); });
  nameInput.addEventListener("input", function () {
    if (!slugTouched) { slugInput.value = slugify(nameInput.value); showSlug(); }
  });
  if (slugInput.value) showSlug();

  // ----- formset rows: add, remove, reorder -----
  function rowsOf(prefix) {
    return form.querySelector(".js-rows[data-prefix='" + prefix + "']");
  }
  function liveRows(container) {
    return Array.prototype.filter.call(container.children, function (row) {
      return row.classList.contains("js-row") && !row.classList.contains("is-removed");
    });
  }
  // Buttons and row groups are named after their row ("Remove offer 2 (Haircut)"), so
  // screen-reader users can tell the rows' buttons apart; names follow moves and removals.
  function rowName(row, i) {
    var name = row.dataset.rowNoun + " " + (i + 1);
    var title = row.querySelector("input[name$='-title']");
    if (title && title.value.trim()) name += " (" + title.value.trim() + ")";
    return name;
  }
  function labelRow(row, i) {
    var name = rowName(row, i);
    var labelled = [row].concat(Array.prototype.slice.call(
      row.querySelectorAll("[data-label-prefix]")));
    labelled.forEach(function (el) {
      var prefix = el.dataset.labelPrefix;
      if (prefix === undefined) return;
      el.setAttribute("aria-label", prefix ? prefix + " " + name
        : name.charAt(0).toUpperCase() + name.slice(1));
    });
  }
  function labelRows(container) {
    liveRows(container).forEach(labelRow);
  }
  function renumber(container) {
    liveRows(container).forEach(function (row, i) {
      var order = row.querySelector("input[name$='-sort_order']");
      if (order) order.value = i;
    });
    labelRows(container);
    updatePreview();
  }
  function wireRow(row) {
    var container = row.parentElement;
    row.querySelectorAll(".js-only").forEach(function (el) { el.hidden = false; });
    row.querySelectorAll(".js-delete-field, .js-order-field").forEach(function (el) {
      el.hidden = true;
    });
    var remove = row.querySelector(".js-remove");
    if (remove) remove.addEventListener("click", function () {
      var del = row.querySelector("input[name$='-DELETE']");
      if (del) del.checked = true;
      row.classList.add("is-removed");
      row.querySelectorAll("[required]").forEach(function (el) { el.required = false; });
      renumber(container);
    });
    var up = row.querySelector(".js-move-up"), down = row.querySelector(".js-move-down");
    if (up) up.addEventListener("click", function () {
      var rows = liveRows(container), i = rows.indexOf(row);
      if (i > 0) { container.insertBefore(row, rows[i - 1]); renumber(container); up.focus(); }
    });
    if (down) down.addEventListener("click", function () {
      var rows = liveRows(container), i = rows.indexOf(row);
      if (i < rows.length - 1) {
        container.insertBefore(rows[i + 1], row); renumber(container); down.focus();
      }
    });
    var title = row.querySelector("input[name$='-title']");
    var legend = row.querySelector(".js-row-title");
    if (title && legend) title.addEventListener("input", function () {
      legend.textContent = title.value || "New offer";
    });
    if (title) title.addEventListener("change", function () { labelRows(container); });
    row.addEventListener("input", updatePreview);
    row.addEventListener("change", updatePreview);
  }
  form.querySelectorAll(".js-rows .js-row").forEach(wireRow);

  // With JS the "Add" buttons replace the blank spare rows the no-JS form needs.
  // Hidden blank rows are still submitted blank, which Django ignores.
  function isBlankNewRow(row) {
    var id = row.querySelector("input[type=hidden][name$='-id']");
    if (id && id.value) return false;
    var typed = row.querySelectorAll(
      "input[type=text], input[type=url], input[type=time], input[type=date], textarea");
    return Array.prototype.every.call(typed, function (el) { return el.value === ""; });
  }
  form.querySelectorAll(".js-rows .js-row").forEach(function (row) {
    if (isBlankNewRow(row)) row.classList.add("is-removed");
  });
  form.querySelectorAll(".js-rows").forEach(labelRows);

  form.querySelectorAll(".js-add-row").forEach(function (button) {
    button.addEventListener("click", function () {
      var prefix = button.dataset.prefix;
      var total = form.querySelector("[name='" + prefix + "-TOTAL_FORMS']");
      var max = form.querySelector("[name='" + prefix + "-MAX_NUM_FORMS']");
      var index = parseInt(total.value, 10);
      if (max && index >= parseInt(max.value, 10)) return;
      var template = form.querySelector("template.js-empty-row[data-prefix='" + prefix + "']");
      var holder = document.createElement("div");
      holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
      var row = holder.firstElementChild;
      var container = rowsOf(prefix);
      container.appendChild(row);
      total.value = index + 1;
      wireRow(row);
      initCounters(row);
      renumber(container);
      var first = row.querySelector("input:not([type=hidden]):not([type=checkbox]), select");
      if (first) first.focus();
    });
  });

  // ----- live preview -----
  var previewBox = document.querySelector("[data-testid=live-preview]");
  function field(name) { return form.querySelector("[name='" + name + "']"); }
  function updatePreview() {
    if (!previewBox) return;
    previewBox.querySelector(".js-preview-name").textContent = field("name").value || "Your business";
    previewBox.querySelector(".js-preview-headline").textContent = field("headline").value;
    var description = field("description").value;
    previewBox.querySelector(".js-preview-description").textContent =
      description.length > 160 ? description.slice(0, 160) + "…" : description;
    var colour = field("brand_colour").value;
    if (/^#[0-9a-fA-F]{6}$/.test(colour)) {
      previewBox.querySelector(".js-preview-hero").style.setProperty("--sf-brand", colour);
    }
    var list = previewBox.querySelector(".js-preview-offers");
    list.textContent = "";
    liveRows(rowsOf("offers")).forEach(function (row) {
      var title = row.querySelector("input[name$='-title']").value;
      var shown = row.querySelector("input[name$='-is_active']").checked;
      if (!title || !shown) return;
      var price = row.querySelector("input[name$='-price_text']").value;
      var item = document.createElement("li");
      item.className = "border rounded p-2 mb-2 d-flex justify-content-between gap-2";
      var name = document.createElement("span");
      name.textContent = title;
      var cost = document.createElement("span");
      cost.className = "fw-semibold";
      cost.textContent = price;
      item.append(name, cost);
      list.appendChild(item);
    });
  }
  ["name", "headline", "description", "brand_colour"].forEach(function (name) {
    field(name).addEventListener("input", updatePreview);
  });
  updatePreview();

  // ----- sections -----
  // A field the browser finds invalid, or a section link, opens its collapsed section.
  function openSectionOf(el) {
    var section = el && el.closest ? el.closest("details") : null;
    if (section && !section.open) section.open = true;
  }
  form.addEventListener("invalid", function (event) { openSectionOf(event.target); }, true);
  document.querySelectorAll(".editor-section-nav a[href^='#']").forEach(function (link) {
    link.addEventListener("click", function () {
      openSectionOf(document.getElementById(link.getAttribute("href").slice(1)));
    });
  });
  if (location.hash) openSectionOf(document.getElementById(location.hash.slice(1)));

  // ----- special dates: typed times mean "open", so "Closed all day" is unticked -----
  form.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.name || !/^special-\d+-(opens|closes)$/.test(input.name) || !input.value) return;
    var row = input.closest(".js-row");
    var closed = row && row.querySelector("input[name$='-closed']");
    if (closed && closed.checked) closed.checked = false;
  });

  // ----- "Same hours every weekday": Monday's ranges copied to Tuesday–Friday -----
  var sameHours = form.querySelector(".js-same-hours");
  var sameStatus = form.querySelector(".js-same-hours-status");
  var addHours = form.querySelector(".js-add-row[data-prefix='hours']");
  function hoursRowsFor(day) {
    return liveRows(rowsOf("hours")).filter(function (row) {
      return row.querySelector("select[name$='-weekday']").value === String(day);
    });
  }
  function setValue(el, value) {
    el.value = value;
    el.dispatchEvent(new Event("input", { bubbles: true }));
    el.dispatchEvent(new Event("change", { bubbles: true }));
  }
  if (sameHours && addHours) sameHours.addEventListener("click", function () {
    var monday = hoursRowsFor(0).map(function (row) {
      return {
        opens: row.querySelector("input[name$='-opens']").value,
        closes: row.querySelector("input[name$='-closes']").value,
      };
    }).filter(function (range) { return range.opens && range.closes; });
    sameStatus.hidden = false;
    if (!monday.length) {
      sameStatus.textContent = "Give Monday's opening and closing times first.";
      return;
    }
    for (var day = 1; day <= 4; day++) {
      var rows = hoursRowsFor(day);
      monday.forEach(function (range, i) {
        var row = rows[i];
        if (!row) {
          addHours.click();  // the add-row mechanism: a new numbered row from the template
          var all = liveRows(rowsOf("hours"));
          row = all[all.length - 1];
          setValue(row.querySelector("select[name$='-weekday']"), String(day));
        }
        setValue(row.querySelector("input[name$='-opens']"), range.opens);
        setValue(row.querySelector("input[name$='-closes']"), range.closes);
      });
      rows.slice(monday.length).forEach(function (row) {
        var remove = row.querySelector(".js-remove");
        if (remove) remove.click();
      });
    }
    var ranges = monday.map(function (r) { return r.opens + "–" + r.closes; }).join(", ");
    sameStatus.textContent = "Tuesday to Friday now have Monday's hours (" + ranges +
      "). Save to keep them.";
    sameHours.focus();
  });

  // After a failed submit, take keyboard and screen-reader users to the summary.
  var errors = document.getElementById("editor-errors");
  if (errors) errors.focus();
})();
