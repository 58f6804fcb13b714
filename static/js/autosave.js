// The report form keeps a draft as the officer types (issue #21): a moment after each change
// the form's fields go to the server (reporting.views.entry.autosave, kept as a ReportDraft that
// only this officer sees), and until the server has them, in this browser's localStorage, so a
// dropped connection or an expired login loses nothing. The page says when the draft was last
// kept, and the browser asks before leaving while a change has not reached the server.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave-url]");
  if (!form) { return; }
  var status = document.getElementById("autosave-status");
  var url = form.getAttribute("data-autosave-url");
  var key = "tiendo:draft:" + url;
  var versionInput = form.querySelector("input[name=version]");
  var version = versionInput ? versionInput.value : "";
  var timer = null, pending = false, sending = false, leaving = false;
  var DELAY = 1500;

  function say(text, kind) {
    if (!status) { return; }
    status.textContent = text;
    status.className = "autosave-status" + (kind ? " " + kind : "");
  }
  function text(name, time) {
    return (form.getAttribute("data-autosave-" + name) || "").replace("{time}", time || "");
  }
  function now() {
    var d = new Date();
    return ("0" + d.getHours()).slice(-2) + ":" + ("0" + d.getMinutes()).slice(-2);
  }

  // The form's fields by name; a radio group without a choice is "", so clearing is kept too.
  function fields() {
    var out = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrfmiddlewaretoken" || el.name === "version" || el.disabled) { return; }
      if (el.type === "submit" || el.type === "button") { return; }
      if (el.type === "radio" || el.type === "checkbox") {
        if (!(el.name in out)) { out[el.name] = ""; }
        if (el.checked) { out[el.name] = el.value; }
      } else {
        out[el.name] = el.value;
      }
    });
    return out;
  }
  function apply(values) {
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || !(el.name in values)) { return; }
      if (el.type === "radio" || el.type === "checkbox") {
        el.checked = el.value === values[el.name];
      } else if (el.type !== "submit" && el.type !== "hidden") {
        el.value = values[el.name];
      }
    });
  }
  function keepLocally() {
    try {
      localStorage.setItem(key, JSON.stringify({version: version, fields: fields()}));
    } catch (e) { /* private mode or full: the server copy still goes */ }
  }
  function forgetLocally() {
    try { localStorage.removeItem(key); } catch (e) { /* nothing to forget */ }
  }

  function send() {
    timer = null;
    if (sending) { timer = setTimeout(send, DELAY); return; }
    sending = true;
    pending = false;
    var body = new FormData();
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    if (token) { body.append("csrfmiddlewaretoken", token.value); }
    body.append("version", version);
    var values = fields();
    Object.keys(values).forEach(function (name) { body.append(name, values[name]); });
    fetch(url, {method: "POST", body: body, credentials: "same-origin",
                headers: {"X-Requested-With": "fetch"}})
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (!response.ok) { throw new Error(data.error || String(response.status)); }
          return data;
        });
      })
      .then(function (data) {
        if (!pending) { forgetLocally(); }
        say(text("saved", data.saved_at || now()), "saved");
      })
      .catch(function (error) {
        pending = true;
        say(text("offline", now()) + (error && error.message && error.message.length > 3 ? " " + error.message : ""),
            "warning");
      })
      .then(function () { sending = false; });
  }
  function changed() {
    pending = true;
    keepLocally();
    say(text("typing"), "");
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(send, DELAY);
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function () { leaving = true; });
  window.addEventListener("beforeunload", function (event) {
    if (leaving || !pending) { return undefined; }
    event.preventDefault();
    event.returnValue = "";
    return "";
  });

  // What this browser kept and the server never got (the connection dropped, the login ran out):
  // laid over the form, and sent again. A copy typed over an older version of the report is
  // dropped: someone saved the report since.
  var kept = null;
  try { kept = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { kept = null; }
  if (kept && kept.fields) {
    if (String(kept.version) === String(version)) {
      apply(kept.fields);
      pending = true;
      say(text("restored"), "warning");
      timer = setTimeout(send, 10);
    } else {
      forgetLocally();
    }
  }
})();
