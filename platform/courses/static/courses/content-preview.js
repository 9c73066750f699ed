// The preview of a course's exercise sets its formulas as the exercise page does (KaTeX, same delimiters).
(function () {
  "use strict";
  if (!window.renderMathInElement) { return; }
  document.querySelectorAll(".statement-preview .statement").forEach(function (statement) {
    renderMathInElement(statement, {
      delimiters: [
        { left: "$$", right: "$$", display: true },
        { left: "$", right: "$", display: false }
      ],
      throwOnError: false
    });
    statement.setAttribute("data-math-rendered", "");
  });
})();
