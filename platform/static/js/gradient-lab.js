// The exploding-gradient lab: after grading, draw each visible case's gradient norms over time on a
// log scale, the student's next to the reference's, and both after clipping by global norm. The data
// comes in json_script elements (no inline script: the CSP forbids it); Chart.js is loaded on first use.
(function () {
  "use strict";
  var drawn = [];

  function color(name, fallback) {
    var value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return value || fallback;
  }

  function withChart(lab, done) {
    if (window.Chart) { done(); return; }
    var script = document.querySelector("script[data-chartjs-loader]");
    if (!script) {
      script = document.createElement("script");
      script.src = lab.getAttribute("data-chartjs");
      script.setAttribute("data-chartjs-loader", "1");
      document.head.appendChild(script);
    }
    script.addEventListener("load", done);
  }

  function series(label, values, colour, dashed) {
    return {
      label: label,
      data: values,
      borderColor: colour,
      backgroundColor: colour,
      borderWidth: 2,
      borderDash: dashed ? [6, 4] : [],
      pointRadius: 0,
      spanGaps: false,
      tension: 0
    };
  }

  // Log-scale ticks as powers of ten only (1e-24 ... 1e8): the values span dozens of decades.
  function powerOfTen(value) {
    var exponent = Math.log10(value);
    return Math.abs(exponent - Math.round(exponent)) < 1e-9 ? "1e" + Math.round(exponent) : "";
  }

  function config(lab, data) {
    var label = function (name) { return lab.getAttribute("data-label-" + name); };
    var ink = color("--ink", "#1d2330");
    var steps = [];
    for (var t = 0; t < data.steps; t++) { steps.push(t); }
    var datasets = [];
    if (data.got) { datasets.push(series(label("got"), data.got, color("--accent", "#3553d6"), false)); }
    datasets.push(series(label("expected"), data.expected, "#8a93a6", true));
    if (data.got_clipped) { datasets.push(series(label("got-clipped"), data.got_clipped, color("--pass", "#137a3a"), false)); }
    datasets.push(series(label("expected-clipped"), data.expected_clipped, "#7fbf95", true));
    var bound = steps.map(function () { return data.clip_norm; });
    datasets.push(series(label("max-norm") + " = " + data.clip_norm, bound, color("--warn", "#9a5b00"), true));
    return {
      type: "line",
      data: { labels: steps, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { position: "bottom", labels: { color: ink, boxWidth: 18 } }, tooltip: { intersect: false, mode: "index" } },
        scales: {
          x: { title: { display: true, text: label("x"), color: ink }, ticks: { color: ink, maxTicksLimit: 11 } },
          y: { type: "logarithmic", title: { display: true, text: label("y"), color: ink }, ticks: { color: ink, callback: powerOfTen } }
        }
      }
    };
  }

  function draw() {
    var lab = document.querySelector(".gradient-lab");
    if (!lab || !document.querySelector("canvas[data-lab-plot]:not([data-drawn])")) { return; }
    withChart(lab, function () {
      drawn.forEach(function (chart) { chart.destroy(); });
      drawn = [];
      document.querySelectorAll("canvas[data-lab-plot]").forEach(function (canvas) {
        var source = document.getElementById(canvas.getAttribute("data-lab-plot"));
        if (!source) { return; }
        drawn.push(new Chart(canvas, config(lab, JSON.parse(source.textContent))));
        canvas.setAttribute("data-drawn", "1");
      });
    });
  }

  draw();
  // A verdict arrives by htmx polling: draw its plots once it has settled in the page.
  document.body.addEventListener("htmx:afterSettle", draw);
})();
