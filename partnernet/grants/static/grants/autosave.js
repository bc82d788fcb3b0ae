/* Autosave for the application draft: posts the whole form a few seconds after typing stops,
   when a field loses focus and when the page is hidden. Every keystroke is first copied to
   localStorage, so a dropped connection or an expired session loses nothing: the copy is
   restored (and saved) the next time the page opens. No inline script: CSP forbids it. */
(function () {
  "use strict";
  var form = document.getElementById("draft-form");
  if (!form || !window.fetch) { return; }
  var key = form.dataset.autosaveKey;
  var status = document.getElementById("autosave-status");
  var dirty = false, saving = false, timer = null, edits = 0;

  function say(text, warn) {
    if (!status || !text) { return; }
    status.textContent = text;
    status.classList.toggle("offline", !!warn);
  }
  function fields() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrfmiddlewaretoken" && el.type !== "submit";
    });
  }
  function snapshot() {
    var values = {};
    fields().forEach(function (el) { values[el.name] = el.value; });
    return values;
  }
  function keep(synced) {
    try {
      localStorage.setItem(key, JSON.stringify({ values: snapshot(), at: Date.now(), synced: synced }));
    } catch (e) { /* storage full or disabled: the server copy still works */ }
  }
  function stored() {
    try { return JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }
  function restore() {
    var copy = stored();
    if (!copy || copy.synced || !copy.values) { return; }
    var changed = false;
    fields().forEach(function (el) {
      if (Object.prototype.hasOwnProperty.call(copy.values, el.name) && el.value !== copy.values[el.name]) {
        el.value = copy.values[el.name];
        changed = true;
      }
    });
    if (changed) {
      dirty = true;
      say(form.dataset.msgRestored, true);
      save();
    }
  }
  function save() {
    if (saving || !dirty) { return; }
    saving = true;
    var editsAtStart = edits;
    say(form.dataset.msgSaving);
    fetch(form.action, {
      method: "POST", body: new FormData(form), credentials: "same-origin", redirect: "manual",
      headers: { "X-Requested-With": "fetch", "Accept": "application/json" }
    }).then(function (response) {
      var json = (response.headers.get("Content-Type") || "").indexOf("json") >= 0;
      if (!response.ok || !json) {
        var expired = response.type === "opaqueredirect" || response.status === 403 || response.status === 0;
        say(expired ? form.dataset.msgSession : form.dataset.msgError, true);
        return null;
      }
      return response.json();
    }).then(function (data) {
      if (data && data.saved) {
        if (edits === editsAtStart) { dirty = false; keep(true); }
        say(data.message);
      }
    }).catch(function () {
      say(form.dataset.msgOffline, true);
    }).then(function () { saving = false; });
  }
  function changed() {
    dirty = true;
    edits += 1;
    keep(false);
    clearTimeout(timer);
    timer = setTimeout(save, 2000);
  }
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("focusout", save);
  form.addEventListener("submit", function (event) { event.preventDefault(); dirty = true; save(); });
  window.addEventListener("online", save);
  setInterval(save, 5000);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && dirty && navigator.sendBeacon) {
      navigator.sendBeacon(form.action, new FormData(form));
    }
  });
  restore();
}());
