/* Sciatica Care: small enhancements for every page. The pages work without this file. */
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.remove("no-js");
  root.classList.add("js");

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".js-print").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
    document.querySelectorAll("[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
      });
    });
    // Pain sliders show their number (and say it to screen readers).
    document.querySelectorAll('input[type="range"]').forEach(function (range) {
      var out = document.getElementById(range.id + "-value");
      if (!out) { return; }
      out.hidden = false;
      var show = function () {
        out.textContent = range.value;
        range.setAttribute("aria-valuetext", range.value + " out of 10");
      };
      range.addEventListener("input", show);
      show();
    });
    // The menu: a disclosure on phones; open (a row of links, its toggle hidden by the CSS) from
    // 72rem (site.css). On a phone or a tablet it closes with Escape (focus back on its toggle) and on a tap outside.
    var wide = window.matchMedia("(min-width: 72rem)");
    document.querySelectorAll("[data-nav-menu]").forEach(function (menu) {
      var fit = function () { menu.open = wide.matches; };
      fit();
      wide.addEventListener("change", fit);
      menu.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && menu.open && !wide.matches) {
          menu.open = false;
          menu.querySelector("summary").focus();
        }
      });
      document.addEventListener("click", function (event) {
        if (menu.open && !wide.matches && !menu.contains(event.target)) { menu.open = false; }
      });
    });
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
  });

  // Closed <details> do not print: open them for printing, then restore.
  var opened = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (d) {
      d.open = true;
      opened.push(d);
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });
})();
