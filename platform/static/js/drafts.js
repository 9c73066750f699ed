// Drafts: the code being edited survives a reload and a navigation (kept in this browser's
// localStorage, per user and exercise), and leaving with code that was never submitted or run
// asks first. A draft is dropped once the same code is submitted.
(function () {
  "use strict";
  var form = document.getElementById("submit-form");
  var textarea = document.getElementById("source");
  var own = document.getElementById("own-cases");
  var note = document.getElementById("draft-note");
  if (!form || !textarea || !form.dataset.draftKey) { return; }
  var key = form.dataset.draftKey;
  var holder = document.querySelector(".CodeMirror");
  var editor = holder && holder.CodeMirror ? holder.CodeMirror : null;
  var server = textarea.value; // the last submission's code, or the starter
  var clean = server; // what a submission or run already holds: leaving loses nothing
  var storage = null;
  try { storage = window.localStorage; storage.getItem(key); } catch (error) { storage = null; }

  function code() { return editor ? editor.getValue() : textarea.value; }
  function setCode(value) {
    if (editor) { editor.setValue(value); editor.save(); } else { textarea.value = value; }
  }
  function read() {
    if (!storage) { return null; }
    try { return JSON.parse(storage.getItem(key) || "null"); } catch (error) { return null; }
  }
  function save() {
    if (!storage) { return; }
    try {
      if (code() === server && (!own || !own.value)) { storage.removeItem(key); return; }
      storage.setItem(key, JSON.stringify({ source: code(), own: own ? own.value : "", at: Date.now() }));
    } catch (error) { /* storage full or refused: the warning before leaving still protects the code */ }
  }

  var draft = read();
  if (draft && typeof draft.source === "string" && (draft.source !== server || (own && draft.own))) {
    setCode(draft.source);
    if (own && typeof draft.own === "string" && draft.own) {
      own.value = draft.own;
      var box = own.closest("details");
      if (box) { box.open = true; }
    }
    if (note && draft.source !== server) {
      note.hidden = false;
      var when = note.querySelector("time");
      if (when && draft.at) {
        var date = new Date(draft.at);
        when.dateTime = date.toISOString();
        when.textContent = date.toLocaleString(document.documentElement.lang || undefined);
      }
    }
  }

  var timer = null;
  function later() { clearTimeout(timer); timer = setTimeout(save, 300); }
  if (editor) { editor.on("change", later); } else { textarea.addEventListener("input", later); }
  if (own) { own.addEventListener("input", later); }
  window.addEventListener("pagehide", save);

  var discard = document.getElementById("draft-discard");
  if (discard) {
    discard.addEventListener("click", function () {
      setCode(server);
      if (storage) { storage.removeItem(key); }
      clean = server;
      note.hidden = true;
    });
  }

  // Sent to the server: the code is safe there (a submission, or a run the page shows again).
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.elt === form || form.contains(event.detail.elt)) { clean = code(); }
  });
  document.body.addEventListener("htmx:afterRequest", function (event) {
    var elt = event.detail.elt;
    if ((elt === form || elt.id === "submit-button") && event.detail.successful && storage) {
      // Submitted: the submission holds this code now; a reload shows it without a draft.
      server = clean;
      storage.removeItem(key);
      if (note) { note.hidden = true; }
    }
  });
  form.addEventListener("submit", function () { clean = code(); });

  window.addEventListener("beforeunload", function (event) {
    if (code() !== clean) {
      save();
      event.preventDefault();
      event.returnValue = ""; // browsers show their own wording
    }
  });
})();
