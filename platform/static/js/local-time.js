// Deadlines are shown in the server's time zone; where the reader's own differs, an empty
// <time data-local datetime="..."> beside them says the same moment in the reader's time.
(function () {
  "use strict";
  function fill(root) {
    root.querySelectorAll("time[data-local][datetime]").forEach(function (slot) {
      if (slot.textContent) { return; }
      var iso = slot.getAttribute("datetime");
      var date = new Date(iso);
      var match = /([+-])(\d\d):?(\d\d)$|Z$/.exec(iso);
      if (isNaN(date) || !match) { return; }
      var serverOffset = match[0] === "Z" ? 0 : (match[1] === "-" ? -1 : 1) * (parseInt(match[2], 10) * 60 + parseInt(match[3], 10));
      if (-date.getTimezoneOffset() === serverOffset) { return; } // the reader is in the shown zone already
      var text = date.toLocaleString(document.documentElement.lang || undefined, {
        month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "short"
      });
      slot.textContent = (slot.getAttribute("data-local") || "") .replace("%s", text) || " (" + text + ")";
    });
  }
  fill(document);
  document.body.addEventListener("htmx:afterSettle", function (event) { fill(event.detail.elt); });
})();
