/* Behaviour every page shares, kept out of the HTML so the Content-Security-Policy can forbid inline scripts:
   a <select data-autosubmit> submits its form when it changes (the language switch, the year of a table). */
(function () {
  "use strict";
  function start() {
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
