// The delegate's electronic ballot: keep/strike toggles with a live counter, over-selection refused at
// once, a confirm step, then the marks are ENCRYPTED here (ballot_crypto.js, docs/crypto.md) and the
// ciphertext is sent, retried with the SAME nonce and the same ciphertext until the server acknowledges
// it (a retry counts once). The phone shows the ballot tracker. The server never sees a mark.
import { encryptBallot, ballotTracker } from "./ballot_crypto.js";

(function () {
  "use strict";
  var form = document.getElementById("ballot-form");
  if (!form) return;
  var places = parseInt(form.getAttribute("data-places"), 10);
  var allStruckInvalid = form.getAttribute("data-all-struck-invalid") === "1";
  var toggles = Array.prototype.slice.call(form.querySelectorAll(".ballot-toggle"));
  var counter = document.getElementById("ballot-counter");
  var message = document.getElementById("ballot-message");
  var confirmBox = document.getElementById("ballot-confirm");
  var ack = document.getElementById("ballot-ack");
  var castButton = document.getElementById("ballot-cast");
  var castStatus = document.getElementById("cast-status");
  var MAX_TRIES = 8;

  function msg(name, params) {
    var text = form.getAttribute("data-msg-" + name) || "";
    Object.keys(params || {}).forEach(function (k) { text = text.split("%(" + k + ")s").join(String(params[k])); });
    return text;
  }

  // One nonce per ballot, kept across reloads of this tab: a retry after a lost answer counts once.
  var nonceKey = form.getAttribute("data-nonce-key");
  var nonce = null;
  try { nonce = window.sessionStorage.getItem(nonceKey); } catch (e) { nonce = null; }
  if (!nonce) {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    nonce = Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
    try { window.sessionStorage.setItem(nonceKey, nonce); } catch (e) { /* private mode: this page only */ }
  }
  form.elements.nonce.value = nonce;
  var spec = JSON.parse(form.getAttribute("data-spec"));
  var publicKey = form.getAttribute("data-public-key");
  var electionId = form.getAttribute("data-election-id");
  var sealedKey = nonceKey + "-sealed";
  var sealed = null; // {credential, ballot, tracker}: encrypted once, resent as it is on every retry
  try { sealed = JSON.parse(window.sessionStorage.getItem(sealedKey) || "null"); } catch (e) { sealed = null; }

  function randomToken() {
    var bytes = new Uint8Array(18);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function seal() {
    var marks = toggles.map(function (t) { return t.checked ? 1 : 0; });
    var kept = marks.reduce(function (a, b) { return a + b; }, 0);
    var credential = randomToken();
    var invalid = kept === 0 && spec.min_marks > 0; // every name struck (P12): the invalid indicator
    var ballot = encryptBallot({ spec: spec, publicKey: publicKey, electionId: electionId,
                                 credential: credential, marks: marks, invalid: invalid });
    sealed = { credential: credential, ballot: ballot, marks: marks.join(""),
               tracker: ballotTracker(electionId, credential, ballot) };
    try { window.sessionStorage.setItem(sealedKey, JSON.stringify(sealed)); } catch (e) { /* this page only */ }
  }

  function keptCount() { return toggles.filter(function (t) { return t.checked; }).length; }
  function nameOf(t) { return t.parentNode.querySelector(".name").textContent; }

  function render() {
    toggles.forEach(function (t) {
      var item = t.parentNode;
      item.classList.toggle("struck", !t.checked);
      item.querySelector(".ballot-state").textContent = t.checked ? msg("kept") : msg("struck");
    });
    var kept = keptCount();
    counter.textContent = msg("counter", { kept: kept, places: places });
    counter.classList.toggle("over", kept > places);
    if (kept > places) message.textContent = msg("over", { places: places, kept: kept });
  }

  toggles.forEach(function (t) {
    t.addEventListener("change", function () {
      if (t.checked && keptCount() > places) {
        // Refused at once: the name stays struck and the reason is announced.
        t.checked = false;
        message.textContent = msg("refused", { name: nameOf(t), places: places });
      } else {
        message.textContent = "";
      }
      render();
    });
  });

  function showConfirm() {
    var kept = toggles.filter(function (t) { return t.checked; });
    if (kept.length > places) {
      message.textContent = msg("over", { places: places, kept: kept.length });
      return;
    }
    var list = document.getElementById("confirm-kept");
    list.innerHTML = "";
    kept.forEach(function (t) {
      var li = document.createElement("li");
      li.textContent = nameOf(t);
      list.appendChild(li);
    });
    if (!kept.length) {
      var none = document.createElement("li");
      none.textContent = msg("none");
      list.appendChild(none);
    }
    var warning = document.getElementById("confirm-warning");
    warning.hidden = !(allStruckInvalid && kept.length === 0);
    warning.textContent = warning.hidden ? "" : msg("all-struck");
    form.hidden = true;
    confirmBox.hidden = false;
    castStatus.textContent = "";
    castButton.disabled = false;
    document.getElementById("confirm-title").focus();
  }

  form.addEventListener("submit", function (ev) { ev.preventDefault(); showConfirm(); });

  document.getElementById("ballot-edit").addEventListener("click", function () {
    confirmBox.hidden = true;
    form.hidden = false;
    sealed = null;
    try { window.sessionStorage.removeItem(sealedKey); } catch (e) { /* nothing kept */ }
    var first = toggles[0];
    if (first) first.focus();
  });

  function csrfToken() { return form.elements.csrfmiddlewaretoken.value; }

  function acknowledged(body) {
    confirmBox.hidden = true;
    ack.hidden = false;
    document.getElementById("tracker-code").textContent = sealed ? sealed.tracker : body.tracker;
    document.getElementById("ack-tracker").hidden = false;
    try {
      window.sessionStorage.removeItem(nonceKey);
      window.sessionStorage.removeItem(sealedKey);
    } catch (e) { /* nothing kept */ }
    document.getElementById("ack-title").focus();
  }

  function refused(error) {
    castStatus.textContent = error.message;
    castStatus.setAttribute("data-code", error.code);
    if (error.code === "already_voted") { castButton.disabled = true; return; }
    castButton.disabled = false;
  }

  function send(attempt) {
    fetch(form.getAttribute("data-cast-url"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json",
                 "X-CSRFToken": csrfToken(), "X-Requested-With": "fetch" },
      body: JSON.stringify({ nonce: nonce, credential: sealed.credential, ballot: sealed.ballot })
    }).then(function (r) {
      return r.json().then(function (body) { return { status: r.status, body: body }; });
    }).then(function (res) {
      if (res.status === 200 && res.body.ok) acknowledged(res.body);
      else if (res.status >= 500) retry(attempt);
      else refused(res.body.error || { code: "error", message: msg("failed") });
    }).catch(function () { retry(attempt); });
  }

  function retry(attempt) {
    if (attempt >= MAX_TRIES) {
      castStatus.textContent = msg("failed");
      castButton.disabled = false;
      return;
    }
    castStatus.textContent = msg("retry", { n: attempt + 1 });
    setTimeout(function () { send(attempt + 1); }, Math.min(500 * Math.pow(2, attempt), 8000));
  }

  castButton.addEventListener("click", function () {
    castButton.disabled = true;
    castStatus.textContent = msg("sending");
    // Encrypt after the paint of "sending", so the phone shows it is working.
    setTimeout(function () {
      try {
        var marks = toggles.map(function (t) { return t.checked ? 1 : 0; }).join("");
        if (!sealed || sealed.marks !== marks) seal();
      } catch (e) {
        refused({ code: "encrypt_failed", message: msg("failed") });
        return;
      }
      send(0);
    }, 0);
  });

  render();
})();
