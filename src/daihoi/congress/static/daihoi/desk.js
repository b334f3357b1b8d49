// The check-in desk: a USB scanner types the card's QR content and Enter into #scan.
// Every scan goes into a queue with its own nonce and is sent in order; a network failure retries
// with the SAME nonce (the server counts it once), so scanning fast never loses or doubles a card.
(function () {
  "use strict";
  var form = document.getElementById("scan-form");
  if (!form) return;
  var field = document.getElementById("scan");
  var resultBox = document.getElementById("scan-result");
  var recent = document.getElementById("recent");
  var search = document.getElementById("search");
  var table = document.getElementById("results");
  var noResults = document.getElementById("no-results");
  var L = JSON.parse(document.getElementById("desk-labels").textContent);
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var MAX_ATTEMPTS = 30, MAX_RECENT = 50;
  var queue = [], busy = false;

  function nonce() {
    var bytes = new Uint8Array(16);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  function clock() {
    var d = new Date();
    return ("0" + d.getHours()).slice(-2) + ":" + ("0" + d.getMinutes()).slice(-2) + ":" + ("0" + d.getSeconds()).slice(-2);
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }
  function fmt(template, params) {
    return template.replace(/%\((\w+)\)s/g, function (_, k) { return params[k] === undefined ? "" : params[k]; });
  }

  // --- live counts -------------------------------------------------------------------------------
  function showAttendance(a) {
    if (!a) return;
    var values = {present: a.present, convened: a.convened, excused: a.excused, not_arrived: a.not_arrived,
                  left: a.left, guests_present: a.guests.present};
    Object.keys(values).forEach(function (k) {
      document.querySelectorAll("[data-stat=" + k + "]").forEach(function (n) { n.textContent = values[k]; });
    });
    var q = document.getElementById("quorum");
    var met = a.quorum.is_met;
    q.className = "quorum " + (met ? "quorum-met" : "quorum-not-met");
    q.setAttribute("data-quorum", met ? "met" : "not_met");
    q.textContent = fmt(L.line, {head: met ? L.met : L.not_met, present: a.present, convened: a.convened,
                                 required: a.quorum.required});
  }
  if (window.DaihoiLive) {
    DaihoiLive.start({slug: form.getAttribute("data-slug"), onState: function (s) { showAttendance(s.attendance); }});
  }

  // --- sending with retries ----------------------------------------------------------------------
  function post(url, body, onDone, onRetry) {
    var attempt = 0;
    function send() {
      attempt += 1;
      fetch(url, {
        method: "POST", credentials: "same-origin",
        headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf,
                  "X-Requested-With": "fetch"},
        body: JSON.stringify(body)
      }).then(function (r) {
        if (r.status >= 500 || r.status === 429) throw new Error("server " + r.status);
        return r.json().then(function (data) { onDone(data); });
      }).catch(function () {
        if (attempt >= MAX_ATTEMPTS) { onDone(null); return; }
        if (onRetry) onRetry(attempt);
        setTimeout(send, Math.min(250 * Math.pow(2, attempt - 1), 4000));
      });
    }
    send();
  }

  function show(kind, title, detail, code) {
    resultBox.className = "scan-result " + kind;
    resultBox.setAttribute("data-code", code || "");
    resultBox.textContent = "";
    resultBox.appendChild(el("span", "name", title));
    if (detail) resultBox.appendChild(el("span", "detail", detail));
  }

  function describe(r) {
    var parts = [];
    if (r.unit) parts.push(r.unit);
    if (r.seat_number) parts.push(L.seat + " " + r.seat_number);
    if (r.standing === "alternate") parts.push(L.alternate);
    return parts.join(" · ");
  }

  function settle(item, data) {
    var li = item.li, what = li.querySelector(".what");
    if (data === null) {
      li.className = "failed"; li.setAttribute("data-status", "failed");
      what.textContent = item.code + " — " + L.failed;
      li.onclick = function () { li.onclick = null; enqueue(item.code, item); };
      show("refused", L.failed, item.code, "network");
      return;
    }
    if (data.attendance) showAttendance(data.attendance);
    if (data.ok) {
      var r = data.result;
      li.className = "ok"; li.setAttribute("data-status", "ok");
      what.textContent = r.number + ". " + r.full_name + (describe(r) ? " — " + describe(r) : "");
      show("ok", r.full_name, L.checked_in + " " + r.time + " · " + describe(r) + (r.is_repeat ? " " + L.repeat : ""), "ok");
    } else {
      var e = data.error || {code: "error", message: "?"};
      var kind = e.code === "not_a_delegate" ? "guest" : "refused";
      li.className = kind; li.setAttribute("data-status", e.code);
      what.textContent = item.code + " — " + e.message;
      show(kind, e.message, item.code, e.code);
    }
  }

  function pump() {
    if (busy || !queue.length) return;
    busy = true;
    var item = queue.shift();
    post(form.getAttribute("data-scan-url"), {code: item.code, nonce: item.nonce}, function (data) {
      settle(item, data);
      busy = false;
      pump();
    }, function () {
      item.li.querySelector(".what").textContent = item.code + " — " + L.retrying;
    });
  }

  function enqueue(code, again) {
    var item = again || {code: code, nonce: nonce()};
    if (!again) {
      item.li = el("li", "pending");
      item.li.setAttribute("data-status", "pending");
      item.li.appendChild(el("span", "t", clock()));
      item.li.appendChild(el("span", "what", code + " — " + L.sending));
      recent.insertBefore(item.li, recent.firstChild);
      while (recent.children.length > MAX_RECENT) recent.removeChild(recent.lastChild);
    } else {
      item.li.className = "pending"; item.li.setAttribute("data-status", "pending");
    }
    queue.push(item);
    pump();
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var code = field.value.trim();
    field.value = "";
    field.focus();
    if (code) enqueue(code);
  });
  // A scanner may be read while the focus is elsewhere: Enter in the search box is not a scan, but a
  // click anywhere outside a form control gives the scan field its focus back.
  document.addEventListener("click", function (ev) {
    var t = ev.target;
    if (!t.closest("input, button, select, textarea, a, label, .excuse-form")) field.focus();
  });

  // --- manual search ----------------------------------------------------------------------------
  var searchTimer = null, lastQuery = "";
  function runSearch() {
    var q = search.value.trim();
    lastQuery = q;
    if (!q) { table.hidden = true; noResults.hidden = true; return; }
    fetch(form.getAttribute("data-search-url") + "?q=" + encodeURIComponent(q), {
      credentials: "same-origin", headers: {"Accept": "application/json"}
    }).then(function (r) { return r.json(); }).then(function (data) {
      if (q !== lastQuery) return;
      renderResults(data.results || [], data.guests || []);
    }).catch(function () {});
  }
  function act(url, body, doneLabel) {
    body.nonce = nonce();
    show("pending", L.sending, "", "");
    post(url, body, function (data) {
      if (data === null) { show("refused", L.failed, "", "network"); return; }
      if (data.attendance) showAttendance(data.attendance);
      if (data.ok) show("ok", data.result.full_name, doneLabel + " " + data.result.time + " · " + describe(data.result), "ok");
      else show("refused", data.error.message, "", data.error.code);
      runSearch();
      field.focus();
    });
  }
  // A guest found by name: the arrival is recorded, never counted (no figure moves).
  function welcomeGuest(g) {
    show("pending", L.sending, "", "");
    post(form.getAttribute("data-scan-url"), {guest: g.id, nonce: nonce()}, function (data) {
      if (data === null) { show("refused", L.failed, "", "network"); return; }
      if (data.attendance) showAttendance(data.attendance);
      if (data.ok) show("guest", data.guest.full_name, L.guest + " · " + L.guest_arrived + " " + data.guest.time, "guest");
      else show("refused", data.error.message, "", data.error.code);
      runSearch();
      field.focus();
    });
  }
  function renderGuest(body, g) {
    var tr = el("tr", "guest-row");
    tr.setAttribute("data-guest", g.id);
    tr.appendChild(el("td", "num", "—"));
    tr.appendChild(el("td", "", g.full_name));
    tr.appendChild(el("td", "", g.title));
    tr.appendChild(el("td", "", L.guest));
    var st = el("td", "", g.arrived ? L.guest_arrived + " " + g.time : "");
    st.setAttribute("data-arrived", g.arrived ? "1" : "0");
    tr.appendChild(st);
    var cell = el("td");
    if (!g.arrived) {
      var b = el("button", "", L.welcome_guest); b.type = "button"; b.setAttribute("data-action", "welcome_guest");
      b.onclick = function () { welcomeGuest(g); };
      cell.appendChild(b);
    }
    tr.appendChild(cell);
    body.appendChild(tr);
  }
  function renderResults(results, guests) {
    var body = table.tBodies[0];
    body.textContent = "";
    var any = results.length + guests.length;
    table.hidden = !any;
    noResults.hidden = !!any;
    guests.forEach(function (g) { renderGuest(body, g); });
    results.forEach(function (d) {
      var tr = el("tr");
      tr.setAttribute("data-delegate", d.id);
      tr.appendChild(el("td", "num", d.number));
      tr.appendChild(el("td", "", d.full_name + (d.standing === "alternate" ? " (" + d.standing_label + ")" : "")));
      tr.appendChild(el("td", "", d.unit));
      tr.appendChild(el("td", "", d.seat_number));
      var status = d.attendance_label + (d.time ? " " + d.time : "") + (d.absence_reason ? " — " + d.absence_reason : "");
      var st = el("td", "", status); st.setAttribute("data-attendance", d.attendance);
      tr.appendChild(st);
      var cell = el("td");
      if (d.attendance !== "present") {
        var b = el("button", "", L.check_in); b.type = "button"; b.setAttribute("data-action", "check_in");
        b.onclick = function () { act(form.getAttribute("data-scan-url"), {delegate: d.id}, L.checked_in); };
        cell.appendChild(b);
      } else {
        var o = el("button", "secondary", L.check_out); o.type = "button"; o.setAttribute("data-action", "check_out");
        o.onclick = function () { act(form.getAttribute("data-check-out-url"), {delegate: d.id}, L.checked_out); };
        cell.appendChild(o);
      }
      if (d.attendance === "not_arrived") {
        var x = el("button", "secondary", L.excuse); x.type = "button"; x.setAttribute("data-action", "excuse");
        x.onclick = function () {
          if (cell.querySelector(".excuse-form")) return;
          var f = el("form", "excuse-form");
          var input = el("input"); input.required = true; input.placeholder = L.reason;
          input.setAttribute("aria-label", L.reason); input.maxLength = 500;
          var save = el("button", "", L.save_excuse); save.type = "submit";
          f.appendChild(input); f.appendChild(save);
          f.onsubmit = function (ev) {
            ev.preventDefault();
            act(form.getAttribute("data-excuse-url"), {delegate: d.id, reason: input.value}, L.excused);
          };
          cell.appendChild(f);
          input.focus();
        };
        cell.appendChild(x);
      }
      tr.appendChild(cell);
      body.appendChild(tr);
    });
  }
  search.addEventListener("input", function () {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(runSearch, 200);
  });
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") { ev.preventDefault(); clearTimeout(searchTimer); runSearch(); }
  });
  field.focus();
})();
