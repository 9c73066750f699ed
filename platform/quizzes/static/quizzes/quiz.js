// Quiz pages: formulas (KaTeX) on load and after every htmx swap; Enter checks the question it was typed in.
(function () {
  "use strict";
  var DELIMITERS = [
    { left: "$$", right: "$$", display: true },
    { left: "$", right: "$", display: false }
  ];

  function renderMath(root) {
    if (window.renderMathInElement && root) {
      renderMathInElement(root, { delimiters: DELIMITERS, throwOnError: false });
    }
  }

  renderMath(document.getElementById("main") || document.body);
  document.body.addEventListener("htmx:afterSettle", function (event) {
    renderMath(event.detail.elt);
    var summary = document.getElementById("quiz-summary");
    if (summary && summary !== event.detail.elt) { renderMath(summary); }
  });

  // Without this, Enter in a numeric field would submit with the form's first button: question 1's "Check".
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || event.target.tagName !== "INPUT" || event.target.type !== "text") { return; }
    var card = event.target.closest(".question");
    var button = card && card.querySelector("button[name=only]");
    if (button) { event.preventDefault(); button.click(); }
  });
})();
