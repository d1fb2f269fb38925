/* Draws every chart of a page from its <script type="application/json" data-chart> spec.
   The style shared by all charts lives here, once, not in each chart. */
(function () {
  "use strict";
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
  var CONFIG = { responsive: true, displayModeBar: false, locale: "fr" };

  function merge(base, extra) {
    var out = {};
    Object.keys(base).forEach(function (k) { out[k] = base[k]; });
    Object.keys(extra).forEach(function (k) { out[k] = extra[k]; });
    return out;
  }

  function draw() {
    if (typeof Plotly === "undefined") { return; }
    document.querySelectorAll('script[type="application/json"][data-chart]').forEach(function (el) {
      var target = document.getElementById(el.getAttribute("data-chart"));
      if (!target) { return; }
      var spec = JSON.parse(el.textContent);
      var layout = merge(BASE_LAYOUT, spec.layout);
      if (layout.title && layout.title.text) {
        /* the visible caption already carries the title: keep the chart compact on phones */
        layout.title = { text: "" };
        layout.margin = merge(BASE_LAYOUT.margin, { t: 16 });
      }
      Plotly.newPlot(target, spec.data, layout, CONFIG);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
