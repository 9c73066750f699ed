// Instructor dashboard: draws the charts from the JSON the page carries (#chart-data), and again
// each time htmx swaps in fresh numbers.
(function () {
  "use strict";
  var drawn = [];

  function color(name, fallback) {
    var value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return value || fallback;
  }

  var palette = {
    pass: color("--pass", "#137a3a"),
    fail: color("--fail", "#b42318"),
    warn: color("--warn", "#9a5b00"),
    accent: color("--accent", "#3553d6"),
    grey: "#b8bfcc",
    amber: "#e3a23b",
    ink: color("--ink", "#1d2330")
  };

  function axis(title, extra) {
    var options = { title: { display: true, text: title, color: palette.ink, font: { weight: "600" } }, ticks: { color: palette.ink } };
    return Object.assign(options, extra || {});
  }

  function options(title, x, y, extra) {
    return Object.assign({
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: {
        title: { display: true, text: title, color: palette.ink, font: { size: 15, weight: "700" }, align: "start" },
        legend: { display: false, labels: { color: palette.ink } },
        tooltip: { intersect: false }
      },
      scales: { x: x, y: y }
    }, extra || {});
  }

  function withLegend(config) {
    config.options.plugins.legend.display = true;
    config.options.plugins.legend.position = "bottom";
    return config;
  }

  var integer = { precision: 0, color: palette.ink };
  var percentTicks = { color: palette.ink, callback: function (value) { return value + "%"; } };

  var builders = {
    completion: function (d, t) {
      return withLegend({
        type: "bar",
        data: {
          labels: d.labels,
          datasets: [
            { label: t.completed, data: d.completed, backgroundColor: palette.pass, maxBarThickness: 28 },
            { label: t.in_progress, data: d.in_progress, backgroundColor: palette.amber, maxBarThickness: 28 },
            { label: t.not_started, data: d.not_started, backgroundColor: palette.grey, maxBarThickness: 28 }
          ]
        },
        options: options(t.completion, axis(t.completion_x, { stacked: true, beginAtZero: true, ticks: integer }), { stacked: true, ticks: { color: palette.ink } }, { indexAxis: "y" })
      });
    },
    scores: function (d, t) {
      return {
        type: "bar",
        data: { labels: d.labels, datasets: [{ label: t.scores_y, data: d.counts, backgroundColor: palette.accent, maxBarThickness: 56 }] },
        options: options(t.scores, axis(t.scores_x), axis(t.scores_y, { beginAtZero: true, ticks: integer }))
      };
    },
    timeline: function (d, t) {
      return withLegend({
        type: "bar",
        data: {
          labels: d.labels,
          datasets: [
            { label: t.full, data: d.full, backgroundColor: palette.pass, maxBarThickness: 48 },
            { label: t.other, data: d.other, backgroundColor: palette.grey, maxBarThickness: 48 }
          ]
        },
        options: options(t.timeline, axis(t.timeline_x, { stacked: true }), axis(t.timeline_y, { stacked: true, beginAtZero: true, ticks: integer }))
      });
    },
    pass_rates: function (d, t) {
      return withLegend({
        type: "bar",
        data: {
          labels: d.labels,
          datasets: [
            { label: t.solved, data: d.solved, backgroundColor: palette.pass },
            { label: t.submissions_full, data: d.submissions, backgroundColor: palette.accent }
          ]
        },
        options: options(t.pass_rates, axis(t.pass_rates_x, { min: 0, max: 100, ticks: percentTicks }), { ticks: { color: palette.ink } }, { indexAxis: "y" })
      });
    },
    failing_cases: function (d, t) {
      return {
        type: "bar",
        data: { labels: d.labels, datasets: [{ label: t.failing_cases_x, data: d.counts, backgroundColor: palette.fail }] },
        options: options(t.failing_cases, axis(t.failing_cases_x, { beginAtZero: true, ticks: integer }), { ticks: { color: palette.ink } }, { indexAxis: "y" })
      };
    },
    mistakes: function (d, t) {
      return {
        type: "bar",
        data: { labels: d.labels, datasets: [{ label: t.mistakes_x, data: d.counts, backgroundColor: palette.amber }] },
        options: options(t.mistakes, axis(t.mistakes_x, { beginAtZero: true, ticks: integer }), { ticks: { color: palette.ink } }, { indexAxis: "y" })
      };
    }
  };

  function draw() {
    var source = document.getElementById("chart-data");
    if (!source || !window.Chart) { return; }
    var data = JSON.parse(source.textContent);
    drawn.forEach(function (chart) { chart.destroy(); });
    drawn = [];
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var name = canvas.getAttribute("data-chart");
      if (builders[name] && data[name]) {
        var chart = new Chart(canvas, builders[name](data[name], data.titles));
        drawn.push(chart);
        canvas.setAttribute("data-drawn", "1");
      }
    });
  }

  draw();
  // After a refresh the swapped-in canvases are new (not yet drawn): draw them all again.
  document.body.addEventListener("htmx:afterSettle", function () {
    if (document.querySelector("canvas[data-chart]:not([data-drawn])")) { draw(); }
  });
})();
