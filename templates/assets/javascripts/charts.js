/* Draws every chart of a page from its <script type="application/json" data-chart> spec.
   The style shared by all charts lives here, once, not in each chart.
   Plotly (the basic bundle, data-plotly of this script's tag) is loaded only when the first chart
   comes near the screen, so that a page's first paint never waits for it; each chart is drawn
   when it comes near the screen. On touch or narrow screens a chart never captures a swipe:
   no zoom, no pan, no drag (the page scrolls); the table under each chart holds the values. */
(function () {
  "use strict";
  var SCRIPT = document.currentScript;
  var PLOTLY_SRC = SCRIPT && SCRIPT.getAttribute("data-plotly");
  var TOUCH = window.matchMedia && (window.matchMedia("(pointer: coarse)").matches ||
    window.matchMedia("(hover: none)").matches || window.matchMedia("(max-width: 60em)").matches);
  var BASE_LAYOUT = {
    font: { family: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", size: 13, color: "#1f1f1f" },
    margin: { l: 10, r: 64, t: 56, b: 48 },
    paper_bgcolor: "rgba(0,0,0,0)",
    plot_bgcolor: "rgba(0,0,0,0)",
    separators: ", ",
    showlegend: false,
    bargap: 0.25,
    hoverlabel: { align: "left" }
  };
  var CONFIG = { responsive: true, displayModeBar: false, scrollZoom: false, locale: "fr" };
  var loading = null;

  function merge(base, extra) {
    var out = {};
    Object.keys(base).forEach(function (k) { out[k] = base[k]; });
    Object.keys(extra).forEach(function (k) { out[k] = extra[k]; });
    return out;
  }

  /* no zoom, pan or drag: every axis fixed, no drag mode (a tap still shows the values) */
  function fixed(layout) {
    layout.dragmode = false;
    ["xaxis", "yaxis"].forEach(function (k) { if (!layout[k]) { layout[k] = {}; } });
    Object.keys(layout).forEach(function (k) {
      if (/^[xy]axis\d*$/.test(k)) { layout[k] = merge(layout[k], { fixedrange: true }); }
    });
    return layout;
  }

  function loadPlotly() {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        if (typeof Plotly !== "undefined" || !PLOTLY_SRC) { resolve(); return; }
        var tag = document.createElement("script");
        tag.src = PLOTLY_SRC;
        tag.async = true;
        tag.onload = function () { resolve(); };
        tag.onerror = function () { reject(new Error("Plotly non chargé : " + PLOTLY_SRC)); };
        document.head.appendChild(tag);
      });
    }
    return loading;
  }

  function drawOne(el) {
    var target = document.getElementById(el.getAttribute("data-chart"));
    if (!target || typeof Plotly === "undefined") { return; }
    var spec = JSON.parse(el.textContent);
    var layout = merge(BASE_LAYOUT, spec.layout);
    if (layout.title && layout.title.text) {
      /* the visible caption already carries the title: keep the chart compact on phones */
      layout.title = { text: "" };
      layout.margin = merge(BASE_LAYOUT.margin, { t: 16 });
    }
    if (TOUCH) { layout = fixed(layout); }
    Plotly.newPlot(target, spec.data, layout, CONFIG);
  }

  function start() {
    var specs = Array.prototype.slice.call(
      document.querySelectorAll('script[type="application/json"][data-chart]'));
    if (!specs.length) { return; }  /* no chart: Plotly is never fetched */
    if (!("IntersectionObserver" in window)) {
      loadPlotly().then(function () { specs.forEach(drawOne); });
      return;
    }
    var specOf = new Map();
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) { return; }
        observer.unobserve(entry.target);
        var spec = specOf.get(entry.target);
        loadPlotly().then(function () { drawOne(spec); });
      });
    }, { rootMargin: "300px 0px" });
    specs.forEach(function (spec) {
      var target = document.getElementById(spec.getAttribute("data-chart"));
      if (target) { specOf.set(target, spec); observer.observe(target); }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
