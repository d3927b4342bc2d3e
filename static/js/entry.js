/* The web entry form's checks as the officer types: a number (as the upload's reader reads one: full-width digits,
   thousands separators, a trailing %), inside the indicator's valid range, a whole number where things are counted,
   not cleared once reported. The server runs the upload's own checks again on submit and has the last word; this
   only says it sooner. Messages come from the form's data attributes, so they follow the page's language. */
(function () {
  "use strict";
  var FULL = "０１２３４５６７８９．，－＋％　", HALF = "0123456789.,-+% ";
  var NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
  var THOUSANDS = /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/;

  function parse(text) {
    var plain = "";
    for (var i = 0; i < text.length; i++) {
      var at = FULL.indexOf(text[i]);
      plain += at < 0 ? text[i] : HALF[at];
    }
    plain = plain.replace(/\s+/g, "").replace(/%$/, "");
    if (THOUSANDS.test(plain)) { plain = plain.replace(/,/g, ""); }
    return NUMBER.test(plain) ? Number(plain) : NaN;
  }

  function check(input, messages) {
    var text = input.value.trim(), out = document.getElementById(input.getAttribute("aria-describedby"));
    var problem = "", warning = "", current = input.dataset.current;
    if (text === "") {
      if (current !== undefined) { problem = messages.cleared; }
    } else {
      var value = parse(text), low = Number(input.dataset.min), high = Number(input.dataset.max);
      if (isNaN(value)) {
        problem = messages.number + "：“" + text + "”";
      } else if (value < low || value > high) {
        problem = messages.range + " " + input.dataset.min + "—" + input.dataset.max;
      } else if (input.hasAttribute("data-whole") && value % 1 !== 0) {
        problem = messages.whole;  // counted things: the server refuses a fraction too
      }
      input.classList.toggle("changed", current === undefined || isNaN(value) || Number(current) !== value);
    }
    out.textContent = problem || warning;
    out.classList.toggle("error", problem !== "");
    out.classList.toggle("warn", problem === "" && warning !== "");
    if (problem) { input.setAttribute("aria-invalid", "true"); } else { input.removeAttribute("aria-invalid"); }
  }

  function start() {
    var form = document.getElementById("entry-form");
    if (!form) { return; }
    var messages = {
      number: form.dataset.msgNumber, range: form.dataset.msgRange, whole: form.dataset.msgWhole,
      cleared: form.dataset.msgCleared
    };
    form.querySelectorAll("input[data-min]").forEach(function (input) {
      input.addEventListener("input", function () { check(input, messages); });
      input.addEventListener("blur", function () { check(input, messages); });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
