/* Draws every chart of a page from its <script type="application/json" data-chart> spec.
   The style shared by all charts lives here, once, not in each chart.
   Plotly (the basic bundle, data-plotly of this script's tag) is loaded only when the first chart
   comes near the screen, so that a page's first paint never waits for it; each chart is drawn
   when it comes near the screen. On touch or narrow screens a chart never captures a swipe:
   no zoom, no pan, no drag (the page scrolls); the table under each chart holds the values.
   In a narrow box (a phone) a bar's name is written in full above its bar instead of cut beside
   it, and a series keeps at most five years on its axis, upright. The hovered line of a grey
   group (the other quartiers, the other territories) is drawn darker. */
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
  var NARROW = 520;  /* px: a chart box narrower than this is laid out for a phone */
  var BAR_ROW = 68;  /* px per bar on a phone: the name above (two lines at most), the bar below */
  var DUMBBELL_ROW = 46;  /* px per quartier of a dumbbell chart on a phone: its name, then its dots */
  var BAR_GAP = 0.56;
  var CHAR = 7.4;  /* px: a wide average character at 13 px (names are wrapped on this estimate) */
  var YEARS = 5;  /* most years written on a phone's axis (the last one always) */
  var FOCUS = "#D55E00";  /* the page's quartier (charts.py COLOURS["focus"]): its name in bold */
  var HOVERED = { color: "#4D4D4D", width: 2.5 };
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

  /* a name on at most two lines of `room` characters, cut between words (never inside an
     escaped entity such as &amp;), "…" when even two lines are not enough */
  function wrapName(name, room) {
    var lines = [""];
    name.split(" ").forEach(function (word) {
      var line = lines[lines.length - 1];
      if (!line || (line + " " + word).length <= room) {
        lines[lines.length - 1] = line ? line + " " + word : word;
      } else {
        lines.push(word);
      }
    });
    if (lines.length > 2) { lines = [lines[0], lines[1] + "…"]; }
    return lines.join("<br>");
  }

  /* one horizontal bar chart, on a phone: full names above the bars, no names beside them */
  function barsForPhone(data, layout, width) {
    var bars = data.filter(function (t) { return t.type === "bar" && t.orientation === "h"; });
    if (bars.length !== 1) { return layout; }
    var bar = bars[0];
    var names = bar.customdata || bar.y;
    var colours = (bar.marker && bar.marker.color) || [];
    var half = BAR_ROW * (1 - BAR_GAP) / 2;
    var room = Math.max(12, Math.floor(width / CHAR));
    layout.height = 16 + 56 + BAR_ROW * bar.y.length;
    layout.bargap = BAR_GAP;
    layout.margin = merge(layout.margin, { l: 4 });
    layout.yaxis = merge(layout.yaxis || {}, { showticklabels: false });
    layout.xaxis = merge(layout.xaxis || {}, { nticks: 4, tickangle: 0 });
    layout.annotations = (layout.annotations || []).concat(bar.y.map(function (category, i) {
      var name = wrapName(names[i], room);
      if (colours[i] === FOCUS) { name = "<b>" + name.split("<br>").join("</b><br><b>") + "</b>"; }
      return { xref: "paper", x: 0, xanchor: "left", yref: "y", y: category, yanchor: "bottom",
               yshift: half + 1, text: name, showarrow: false, align: "left" };
    }));
    return layout;
  }

  /* a dumbbell chart (the comité) on a phone: each quartier's full name above its row */
  function dumbbellForPhone(data, layout, width) {
    if (layout.meta !== "dumbbell" || data.length < 2) { return layout; }
    var names = data[1].y;
    var room = Math.max(12, Math.floor(width / CHAR));
    layout.height = 16 + 80 + DUMBBELL_ROW * names.length;
    layout.margin = merge(layout.margin, { l: 8, r: 8 });
    layout.yaxis = merge(layout.yaxis || {}, { showticklabels: false });
    layout.xaxis = merge(layout.xaxis || {}, { nticks: 4, tickangle: 0 });
    layout.annotations = (layout.annotations || []).concat(names.map(function (name) {
      return { xref: "paper", x: 0, xanchor: "left", yref: "y", y: name, yanchor: "bottom",
               yshift: 7, text: wrapName(name, room), showarrow: false, align: "left" };
    }));
    return layout;
  }

  /* a series on a phone: at most YEARS upright years on the axis, counted back from the last */
  function yearsForPhone(layout) {
    var axis = layout.xaxis;
    if (!axis || !axis.tickvals) { return layout; }
    var ticks = axis.tickvals;
    var step = Math.max(1, Math.ceil((ticks.length - 1) / (YEARS - 1)));
    layout.xaxis = merge(axis, {
      tickvals: ticks.filter(function (t, i) { return (ticks.length - 1 - i) % step === 0; }),
      tickangle: 0,
      automargin: true
    });
    return layout;
  }

  /* an empty line placed just above the grey groups (drawn first), to copy a hovered grey line into */
  function withHoverLine(data) {
    var groups = data.filter(function (t) { return t.meta === "context"; }).length;
    if (!groups) { return data; }
    var line = { type: "scatter", mode: "lines", x: [], y: [], line: HOVERED, hoverinfo: "skip",
                 showlegend: false, meta: "hovered" };
    return data.slice(0, groups).concat([line], data.slice(groups));
  }

  /* hovering (or tapping) a point of a grey group draws that territory's whole line darker */
  function followHover(target) {
    var index = target.data.findIndex(function (t) { return t.meta === "hovered"; });
    if (index < 0) { return; }
    target.on("plotly_hover", function (event) {
      var point = event.points && event.points[0];
      if (!point || point.data.meta !== "context") { return; }
      var ys = point.data.y;
      var first = point.pointNumber;
      var last = point.pointNumber;
      while (first > 0 && ys[first - 1] !== null) { first -= 1; }
      while (last < ys.length - 1 && ys[last + 1] !== null) { last += 1; }
      Plotly.restyle(target, { x: [point.data.x.slice(first, last + 1)], y: [ys.slice(first, last + 1)],
                               "line.dash": [point.data.line.dash] }, [index]);
    });
    target.on("plotly_unhover", function () { Plotly.restyle(target, { x: [[]], y: [[]] }, [index]); });
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
    if (target.clientWidth < NARROW) {
      layout = yearsForPhone(barsForPhone(spec.data, layout, target.clientWidth));
      layout = dumbbellForPhone(spec.data, layout, target.clientWidth);
    }
    if (TOUCH) { layout = fixed(layout); }
    Plotly.newPlot(target, withHoverLine(spec.data), layout, CONFIG).then(function (plot) {
      target.classList.add("drawn");  /* printed only once drawn: never a blank box on paper */
      followHover(plot);
    });
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
