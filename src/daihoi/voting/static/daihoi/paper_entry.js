// Keyboard-first paper ballot entry: type the numbers of the struck names, Enter saves and moves to the
// next ballot number. "-" + Enter undoes the last ballot. The server parses the keys (one home) and answers
// with the names struck, shown for visual confirmation. The mismatch list refreshes from state.json.
(function () {
  "use strict";
  var form = document.getElementById("entry-form");
  var list = document.getElementById("mismatch-list");
  var csrf = document.querySelector("input[name=csrfmiddlewaretoken]");
  var stateUrl = form ? form.getAttribute("data-state") : null;
  var keys = document.getElementById("keys");
  var number = document.getElementById("ballot-number");
  var last = document.getElementById("last");
  var error = document.getElementById("entry-error");
  var entered = document.getElementById("entered");
  var busy = false;

  function text(tag, value, attrs) {
    var el = document.createElement(tag);
    if (value !== undefined && value !== null) el.textContent = value;
    if (attrs) Object.keys(attrs).forEach(function (k) { el.setAttribute(k, attrs[k]); });
    return el;
  }

  function renderMismatches(state) {
    if (!list) return;
    if (entered && state.entered) {
      entered.textContent = Object.keys(state.entered).map(function (t) {
        return (list.getAttribute("data-team-label") || "Tổ") + " " + t + ": " + state.entered[t];
      }).join(" · ");
    }
    var resolveUrl = list.getAttribute("data-resolve");
    list.textContent = "";
    if (!state.mismatches.length) {
      var waiting = state.compared === false;  // P18: each team sees only its own entries until both finished
      var p = text("p", state.agree ? list.getAttribute("data-agree") : list.getAttribute(waiting ? "data-hidden" : "data-empty"));
      p.className = state.agree ? "ok" : "muted";
      if (state.agree) p.id = "agree";
      list.appendChild(p);
      return;
    }
    var table = text("table"); table.className = "mismatch";
    var head = text("tr");
    head.appendChild(text("th", list.getAttribute("data-ballot-label")));
    state.mismatches[0].teams.forEach(function (t) { head.appendChild(text("th", (list.getAttribute("data-team-label") || "Tổ") + " " + t.team)); });
    head.appendChild(text("th", list.getAttribute("data-resolve-label")));
    var thead = text("thead"); thead.appendChild(head); table.appendChild(thead);
    var body = text("tbody");
    state.mismatches.forEach(function (m) {
      var tr = text("tr", null, {"data-ballot": m.ballot_number});
      var b = text("b", m.ballot_number); var td = text("td"); td.appendChild(b); tr.appendChild(td);
      m.teams.forEach(function (t) { tr.appendChild(text("td", t.text)); });
      var cell = text("td");
      if (resolveUrl) {
        var f = text("form", null, {method: "post", action: resolveUrl});
        f.appendChild(text("input", null, {type: "hidden", name: "csrfmiddlewaretoken", value: csrf ? csrf.value : ""}));
        f.appendChild(text("input", null, {type: "hidden", name: "ballot_number", value: m.ballot_number}));
        var id = "resolve-" + m.ballot_number;
        f.appendChild(text("label", list.getAttribute("data-keys-label"), {"for": id}));
        f.appendChild(text("input", null, {id: id, name: "keys", size: "10", autocomplete: "off"}));
        f.appendChild(text("button", list.getAttribute("data-save-label"), {type: "submit"}));
        var del = text("button", list.getAttribute("data-discard-label"), {type: "submit", name: "discard", value: "1"});
        del.className = "secondary"; f.appendChild(del);
        cell.appendChild(f);
      }
      tr.appendChild(cell); body.appendChild(tr);
    });
    table.appendChild(body); list.appendChild(table);
  }

  function post(url, data) {
    var body = new URLSearchParams(data);
    return fetch(url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: {"X-CSRFToken": csrf ? csrf.value : "", "X-Requested-With": "fetch", "Accept": "application/json"}
    }).then(function (r) { return r.json().then(function (j) { return {ok: r.ok, body: j}; }); });
  }

  function showError(message) {
    error.textContent = message || "";
    keys.setAttribute("aria-invalid", message ? "true" : "false");
  }

  function save() {
    if (busy) return;
    var typed = keys.value.trim();
    busy = true;
    var request = typed === "-"
      ? post(form.getAttribute("data-undo"), {})
      : post(form.action, {ballot_number: number.value, keys: typed});
    request.then(function (res) {
      busy = false;
      if (!res.ok) { showError(res.body.error ? res.body.error.message : String(res.body)); keys.select(); return; }
      showError("");
      if (typed === "-") {
        last.textContent = res.body.undone ? (last.getAttribute("data-undone") || "↶") + " " + res.body.undone : "—";
      } else {
        last.textContent = res.body.saved.ballot_number + ": " + res.body.saved.text;
      }
      number.value = res.body.next_ballot_number;
      keys.value = "";
      keys.focus();
      renderMismatches(res.body.state);
    }).catch(function () { busy = false; showError(form.getAttribute("data-network-error")); });
  }

  if (form) {
    keys.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter") { ev.preventDefault(); save(); }
    });
    number.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter") { ev.preventDefault(); keys.focus(); }
    });
    form.addEventListener("submit", function (ev) { ev.preventDefault(); save(); });
    var undo = document.getElementById("undo");
    if (undo) undo.addEventListener("click", function () { keys.value = "-"; save(); });
  }

  // The other team's entries arrive by polling (the counting room's LAN; no screen sees these).
  var url = stateUrl || (list && list.getAttribute("data-state"));
  if (url && list) {
    setInterval(function () {
      if (document.activeElement && document.activeElement.name === "keys" && document.activeElement !== keys) return;
      fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (s) { if (s) renderMismatches(s); })
        .catch(function () {});
    }, 2000);
  }
})();
