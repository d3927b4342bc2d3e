/* Behaviour every page shares, kept out of the HTML so the Content-Security-Policy can forbid inline scripts:
   a <select data-autosubmit> submits its form when it changes (the language switch, the year of a table); on a
   narrow screen the menu button opens and closes the navigation (app.css folds it away below 760 px). */
(function () {
  "use strict";
  function start() {
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
    var toggle = document.querySelector("button.menu-toggle");
    if (toggle) {
      var bar = toggle.closest(".topbar");
      toggle.addEventListener("click", function () {
        var open = bar.classList.toggle("menu-open");
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
      });
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
