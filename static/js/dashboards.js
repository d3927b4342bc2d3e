/* Draws every Plotly figure of a dashboard page from the JSON the server put beside it, makes a click on a point
   that carries a link (customdata: a path on this site) follow it, and keeps the filter form's URL short. */
(function () {
  "use strict";

  var BASE_CONFIG = {
    displaylogo: false,
    responsive: true,
    modeBarButtonsToRemove: ["lasso2d", "select2d", "autoScale2d"],
    toImageButtonOptions: { format: "png", scale: 2 }
  };

  function linkOf(point) {
    if (!point) { return null; }
    var target = point.customdata;
    if (Array.isArray(target)) { target = target[0]; }
    return typeof target === "string" && target.charAt(0) === "/" ? target : null;
  }

  function lines(value) {   /* hover texts arrive with "\n" between lines (shorter JSON); Plotly wants <br> */
    if (typeof value === "string") { return value.indexOf("\n") < 0 ? value : value.split("\n").join("<br>"); }
    if (Array.isArray(value)) { return value.map(lines); }
    return value;
  }

  function draw(element) {
    var source = document.getElementById(element.getAttribute("data-figure"));
    if (!source) { return; }
    var spec = JSON.parse(source.textContent);
    var config = Object.assign({}, BASE_CONFIG, spec.config || {});
    spec.data.forEach(function (trace) {
      if (trace.hovertext) { trace.hovertext = lines(trace.hovertext); }
    });
    Plotly.newPlot(element, spec.data, spec.layout, config).then(function (plot) {
      element.setAttribute("data-rendered", "true");
      plot.on("plotly_click", function (event) {
        var target = linkOf(event && event.points && event.points[0]);
        if (target) { window.location.assign(target); }
      });
      plot.on("plotly_hover", function (event) {
        plot.style.cursor = linkOf(event && event.points && event.points[0]) ? "pointer" : "";
      });
    });
  }

  function start() {
    if (typeof Plotly !== "undefined") {   /* pages without a chart do not load Plotly */
      document.querySelectorAll(".plot[data-figure]").forEach(draw);
    }
    document.querySelectorAll("form.dash-filters").forEach(function (form) {
      form.addEventListener("submit", function () {
        form.querySelectorAll("select").forEach(function (select) {
          if (!select.value) { select.disabled = true; }   /* leave empty filters out of the shared URL */
        });
      });
      form.querySelectorAll("select").forEach(function (select) {
        select.addEventListener("change", function () {
          if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
        });
      });
    });
    window.addEventListener("pageshow", function () {
      document.querySelectorAll("form.dash-filters select").forEach(function (s) { s.disabled = false; });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
