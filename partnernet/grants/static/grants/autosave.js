/* Autosave for the application draft: posts the form a few seconds after typing stops, when a
   field loses focus and when the page is hidden. Every keystroke is first copied to
   localStorage, so a dropped connection or an expired session loses nothing: the copy is
   restored (and saved) the next time the page opens.
   Co-writing: each section posts the version and base the page holds. The server saves only
   what this writer changed; a section someone else changed meanwhile comes back as a conflict
   (HTTP 409) with both texts: their text is shown under the field, which keeps this writer's
   text, until the writer keeps their merged text or takes theirs. A section only the other
   writer changed is refreshed in place if it was not touched here. No inline script: CSP. */
(function () {
  "use strict";
  var form = document.getElementById("draft-form");
  if (!form || !window.fetch) { return; }
  var key = form.dataset.autosaveKey;
  var status = document.getElementById("autosave-status");
  var dirty = false, saving = false, timer = null, edits = 0;
  var waitingSince = null;  /* edits count when a conflict came back: no resend until more */
  var LANGUAGES = ["sv", "uk", "en"];

  function say(text, warn) {
    if (!status || !text) { return; }
    status.textContent = text;
    status.classList.toggle("offline", !!warn);
  }
  function fields() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrfmiddlewaretoken" && el.type !== "submit" && el.type !== "button";
    });
  }
  function input(name) { return form.elements.namedItem(name); }
  function setValue(name, value) {
    var el = input(name);
    if (el && value !== undefined && value !== null) { el.value = String(value); }
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

  /* The names of a section's fields, or of an application field. */
  function names(item) {
    if (item === "title" || item === "area") { return [item, item + "_base"]; }
    var list = [item + "_source", item + "_version", item + "_base"];
    LANGUAGES.forEach(function (lang) { list.push(item + "_" + lang); });
    return list;
  }
  function untouched(item, posted) {
    return names(item).every(function (name) {
      var el = input(name);
      return !el || !Object.prototype.hasOwnProperty.call(posted, name) || el.value === posted[name];
    });
  }
  function rebase(item, state) {
    if (state.version !== undefined) { setValue(item + "_version", state.version); }
    setValue(item + "_base", state.base);
  }
  /* What the server says about every section and field after a save. */
  function apply(data, posted) {
    var refreshed = false;
    Object.keys(data.sections || {}).forEach(function (item) {
      var state = data.sections[item];
      if (state.outcome === "saved") {
        rebase(item, state);
      } else if (state.texts && untouched(item, posted)) {
        LANGUAGES.forEach(function (lang) { setValue(item + "_" + lang, state.texts[lang]); });
        setValue(item + "_source", state.source);
        rebase(item, state);
        refreshed = refreshed || state.outcome === "updated";
      }
    });
    Object.keys(data.fields || {}).forEach(function (item) {
      var state = data.fields[item];
      if (state.outcome === "saved" || state.outcome === "same") {
        rebase(item, state);
      } else if (state.outcome === "unchanged" && untouched(item, posted)) {
        setValue(item, state.value);
        rebase(item, state);
      }
    });
    return refreshed;
  }

  function element(tag, attributes, text) {
    var el = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { el.setAttribute(name, attributes[name]); });
    if (text !== undefined) { el.textContent = text; }
    return el;
  }
  function resolved(box, item) {
    box.parentNode.removeChild(box);
    var first = form.querySelector('[data-item="' + item + '"] textarea, [data-item="' + item + '"] input:not([type=hidden]), [data-item="' + item + '"] select');
    if (first) { first.focus(); }
    changed();
  }
  function keepMine(conflict, box) {
    var item = conflict.key;
    rebase(item, conflict);
    if (conflict.theirs && item !== "title" && item !== "area") {
      LANGUAGES.forEach(function (lang) {  /* the languages this writer did not change: theirs */
        if (!Object.prototype.hasOwnProperty.call(conflict.yours, lang)) {
          setValue(item + "_" + lang, conflict.theirs[lang]);
        }
      });
      if (!conflict.source_edited) { setValue(item + "_source", conflict.source); }
    }
    resolved(box, item);
  }
  function useTheirs(conflict, box) {
    var item = conflict.key;
    if (item === "title" || item === "area") {
      setValue(item, conflict.current);
    } else {
      LANGUAGES.forEach(function (lang) { setValue(item + "_" + lang, conflict.theirs[lang]); });
      setValue(item + "_source", conflict.source);
    }
    rebase(item, conflict);
    resolved(box, item);
  }
  /* Shows the merge panel; false when the writer has already resolved this very conflict
     (a save that was on its way while they chose) and the next save will settle it. */
  function showConflict(conflict) {
    var container = form.querySelector('[data-item="' + conflict.key + '"]');
    var version = input(conflict.key + "_version"), base = input(conflict.key + "_base");
    var rebased = version ? version.value === String(conflict.version) : base && base.value === conflict.base;
    if (!container || rebased) { return false; }
    var old = container.querySelector(".conflict");
    if (old && old.dataset.base === conflict.base) { return true; }  /* already shown */
    if (old) { old.parentNode.removeChild(old); }
    var id = "conflict-" + conflict.key + "-title";
    var box = element("div", { "class": "conflict", role: "group", "aria-labelledby": id,
                               "data-conflict": conflict.key, "data-base": conflict.base });
    var heading = element("p", { id: id });
    heading.appendChild(element("strong", {}, form.dataset.msgConflictTitle + ": " + conflict.label));
    box.appendChild(heading);
    box.appendChild(element("p", {}, form.dataset.msgConflictHelp));
    (conflict.items || []).forEach(function (item) {
      var theirs = element("div", { "class": "theirs", "data-field": item.field });
      theirs.appendChild(element("p", { "class": "muted" }, form.dataset.msgTheirs + ": " + item.label));
      theirs.appendChild(element("pre", { "class": "theirs-text", tabindex: "0" }, item.theirs));
      box.appendChild(theirs);
    });
    var actions = element("p", { "class": "actions" });
    var mine = element("button", { type: "button", "class": "keep-mine" }, form.dataset.msgKeepMine);
    var other = element("button", { type: "button", "class": "secondary use-theirs" }, form.dataset.msgUseTheirs);
    mine.addEventListener("click", function () { keepMine(conflict, box); });
    other.addEventListener("click", function () { useTheirs(conflict, box); });
    actions.appendChild(mine);
    actions.appendChild(document.createTextNode(" "));
    actions.appendChild(other);
    box.appendChild(actions);
    container.appendChild(box);
    return true;
  }

  function save() {
    if (saving || !dirty || waitingSince === edits) { return; }
    saving = true;
    var editsAtStart = edits;
    var posted = snapshot();
    say(form.dataset.msgSaving);
    fetch(form.action, {
      method: "POST", body: new FormData(form), credentials: "same-origin", redirect: "manual",
      headers: { "X-Requested-With": "fetch", "Accept": "application/json" }
    }).then(function (response) {
      var json = (response.headers.get("Content-Type") || "").indexOf("json") >= 0;
      if (response.status === 409 && json) { return response.json(); }
      if (!response.ok || !json) {
        var expired = response.type === "opaqueredirect" || response.status === 403 || response.status === 0;
        say(expired ? form.dataset.msgSession : form.dataset.msgError, true);
        return null;
      }
      return response.json();
    }).then(function (data) {
      if (!data) { return; }
      var refreshed = apply(data, posted);
      if (data.conflicts && data.conflicts.length) {
        var pending = data.conflicts.map(showConflict).some(Boolean);
        keep(false);  /* still dirty: the writer's text is kept on this device */
        if (pending) {
          waitingSince = edits;
          say(data.message, true);
        } else {
          clearTimeout(timer);
          timer = setTimeout(save, 500);
        }
      } else if (data.saved) {
        waitingSince = null;
        if (edits === editsAtStart) { dirty = false; keep(true); } else { keep(false); }
        say(refreshed ? data.message + " " + form.dataset.msgUpdated : data.message);
      } else if (data.errors) {
        say(form.dataset.msgError, true);
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
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    dirty = true;
    waitingSince = null;
    save();
  });
  window.addEventListener("online", save);
  setInterval(save, 5000);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && dirty && navigator.sendBeacon) {
      navigator.sendBeacon(form.action, new FormData(form));
    }
  });
  restore();
}());
