// Copy buttons (a failed case's inputs as Python, an API token) and "Add to your own cases".
// Delegated from the document: verdict panels arrive later through htmx.
(function () {
  "use strict";
  function copyText(text, button) {
    var done = function () {
      var label = button.getAttribute("data-copied") || button.textContent;
      var before = button.textContent;
      button.textContent = label === before ? "✓" : label;
      setTimeout(function () { button.textContent = before; }, 1500);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { fallback(text); done(); });
    } else { fallback(text); done(); }
  }
  function fallback(text) { // plain http (a campus server): a hidden textarea and the copy command
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed"; area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } catch (error) { /* the text stays selectable on the page */ }
    document.body.removeChild(area);
  }
  function showOwnCaseButtons(root) {
    if (!document.getElementById("own-cases")) { return; }
    root.querySelectorAll("[data-own-case]").forEach(function (button) { button.hidden = false; });
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-pre], [data-copy-target], [data-own-case]");
    if (!button) { return; }
    var source = button.hasAttribute("data-copy-target")
      ? document.querySelector(button.getAttribute("data-copy-target"))
      : button.closest(".repro").querySelector("pre");
    if (!source) { return; }
    var text = (source.value !== undefined ? source.value : source.textContent).trim();
    if (button.hasAttribute("data-own-case")) {
      var own = document.getElementById("own-cases");
      own.value = (own.value.trim() ? own.value.replace(/\s+$/, "") + "\n" : "") + text;
      own.dispatchEvent(new Event("input", { bubbles: true }));
      var box = own.closest("details");
      if (box) { box.open = true; }
      own.focus();
      return;
    }
    copyText(text, button);
  });
  showOwnCaseButtons(document);
  document.body.addEventListener("htmx:afterSettle", function (event) { showOwnCaseButtons(event.detail.elt); });
})();
