// The report page polls its status URL while a worker builds the report, moves the progress bar, and offers the
// download when it is ready. Served by the application itself (no inline script, no CDN).
(function () {
  "use strict";
  var box = document.getElementById("report-progress-box");
  if (!box || box.dataset.status === "done" || box.dataset.status === "failed") return;
  var bar = document.getElementById("report-progress");
  var note = document.getElementById("report-note");
  var status = document.getElementById("report-status");
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        if (bar) bar.value = state.progress;
        if (note) note.textContent = state.note || "";
        if (status) status.textContent = state.status_display;
        if (state.status === "done") {
          document.getElementById("report-download-line").hidden = false;
          if (bar) bar.parentNode.hidden = true;
          box.dataset.status = "done";
        } else if (state.status === "failed") {
          if (note) note.textContent = state.error;
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
