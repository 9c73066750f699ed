// Behaviour shared by every page; no inline scripts (the Content-Security-Policy forbids them).
(function () {
  "use strict";
  var language = document.getElementById("language");
  if (language) {
    language.addEventListener("change", function () { language.form.submit(); });
  }
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
