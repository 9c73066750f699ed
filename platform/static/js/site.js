// Behaviour shared by every page; no inline scripts (the Content-Security-Policy forbids them).
(function () {
  "use strict";
  var language = document.getElementById("language");
  if (language) {
    language.addEventListener("change", function () { language.form.submit(); });
  }
  // A box that scrolls (a wide formula, an array, a table) must be reachable by keyboard to be
  // scrolled: give it a tab stop when it overflows and holds nothing focusable of its own.
  var SCROLLERS = "pre, .katex-display, .table-scroll, .card, table.data, table.history";
  var FOCUSABLE = "a[href], button, input, select, textarea, summary, [tabindex], [contenteditable=true]";
  function markScrollers(root) {
    root.querySelectorAll(SCROLLERS).forEach(function (box) {
      var style = getComputedStyle(box);
      var scrolls = (box.scrollWidth > box.clientWidth + 1 && /auto|scroll/.test(style.overflowX)) ||
        (box.scrollHeight > box.clientHeight + 1 && /auto|scroll/.test(style.overflowY));
      if (scrolls && !box.hasAttribute("tabindex") && !box.querySelector(FOCUSABLE)) {
        box.setAttribute("tabindex", "0");
      }
    });
  }
  // After every script has run (formulas are rendered by then), after each htmx swap, on resize.
  window.addEventListener("load", function () { markScrollers(document); });
  window.addEventListener("resize", function () { markScrollers(document); });
  document.body.addEventListener("htmx:afterSettle", function (event) { markScrollers(event.detail.elt); });
  // Show the server's explanation for refused submissions (400 bad input, 429 too fast) instead
  // of htmx's default of ignoring error responses.
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status === 400 || status === 429 || status === 413) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
