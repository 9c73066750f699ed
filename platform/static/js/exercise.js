// Exercise page: code editor, Ctrl/Cmd+Enter to submit, reset to starter, formulas.
(function () {
  "use strict";
  var form = document.getElementById("submit-form");
  var textarea = document.getElementById("source");
  var editor = null;

  if (window.CodeMirror && textarea) {
    editor = CodeMirror.fromTextArea(textarea, {
      mode: "python",
      // A contenteditable input sits inside the editor: screen readers read the code, and the
      // editor's scroll box holds its own focusable content.
      inputStyle: "contenteditable",
      lineNumbers: true,
      indentUnit: 4,
      tabSize: 4,
      indentWithTabs: false,
      matchBrackets: true,
      viewportMargin: Infinity,
      extraKeys: {
        Tab: function (cm) {
          if (cm.somethingSelected()) { cm.indentSelection("add"); } else { cm.replaceSelection("    ", "end"); }
        },
        "Shift-Tab": function (cm) { cm.indentSelection("subtract"); },
        "Ctrl-Enter": function () { submit(); },
        "Cmd-Enter": function () { submit(); },
        // Let keyboard users leave the editor: Esc then Tab moves focus on.
        Esc: function (cm) { cm.getInputField().blur(); }
      }
    });
    // The textarea is hidden now: name CodeMirror's own input for screen readers, with its keys.
    editor.getInputField().setAttribute("aria-labelledby", "source-label");
    editor.getInputField().setAttribute("aria-describedby", "editor-keys");
    // Keep the textarea current so htmx serializes what the student sees.
    editor.on("change", function (cm) { cm.save(); });
  }

  function submit() {
    if (editor) { editor.save(); }
    if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
  }

  if (textarea && !editor) {
    textarea.addEventListener("keydown", function (event) {
      if ((event.ctrlKey || event.metaKey) && event.key === "Enter") { event.preventDefault(); submit(); }
    });
  }

  var reset = document.getElementById("reset-button");
  if (reset) {
    reset.addEventListener("click", function () {
      var starter = reset.getAttribute("data-starter");
      if (!window.confirm(reset.getAttribute("data-confirm") || "Replace your code with the starter?")) { return; }
      if (editor) { editor.setValue(starter); editor.save(); } else { textarea.value = starter; }
    });
  }

  // A result that lands below the fold (a phone: the verdict is under the editor) is brought into view.
  document.body.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target || event.detail.elt;
    if (!target || (target.id !== "verdict" && target.id !== "trial")) { return; }
    if (!target.querySelector(".verdict-head, .trial-head, .error")) { return; } // still waiting
    var top = target.getBoundingClientRect().top;
    if (top > window.innerHeight * 0.6 || top < 0) {
      var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
      target.scrollIntoView({ behavior: still ? "auto" : "smooth", block: "start" });
    }
  });

  if (window.renderMathInElement) {
    renderMathInElement(document.getElementById("statement"), {
      delimiters: [
        { left: "$$", right: "$$", display: true },
        { left: "$", right: "$", display: false }
      ],
      throwOnError: false
    });
  }
})();
