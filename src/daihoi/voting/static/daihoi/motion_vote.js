// The delegate's answer to an anonymous electronic motion (issue 10): the answer is chosen, confirmed,
// then ENCRYPTED here (ballot_crypto.js: exactly one of yes / no / abstain, proven, bound to the motion
// and a fresh credential) and sent, retried with the SAME nonce and the same ciphertext until the server
// acknowledges it (a retry counts once). The phone shows the tracker. The server never sees the answer.
import { encryptBallot, ballotTracker } from "./ballot_crypto.js";

(function () {
  "use strict";
  var form = document.getElementById("secret-motion-form");
  if (!form) return;
  var confirmBox = document.getElementById("secret-confirm");
  var ack = document.getElementById("secret-ack");
  var castButton = document.getElementById("secret-cast");
  var castStatus = document.getElementById("secret-status");
  var MAX_TRIES = 8;
  var answers = JSON.parse(form.getAttribute("data-answers"));
  var spec = JSON.parse(form.getAttribute("data-spec"));
  var publicKey = form.getAttribute("data-public-key");
  var pollId = form.getAttribute("data-election-id");
  var nonceKey = form.getAttribute("data-nonce-key");
  var sealedKey = nonceKey + "-sealed";
  var chosen = null;

  function msg(name) { return form.getAttribute("data-msg-" + name) || ""; }
  function hex(n) {
    var bytes = new Uint8Array(n);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  // One nonce per motion, kept across reloads of this tab: a retry after a lost answer counts once.
  var nonce = null;
  try { nonce = window.sessionStorage.getItem(nonceKey); } catch (e) { nonce = null; }
  if (!nonce) {
    nonce = hex(16);
    try { window.sessionStorage.setItem(nonceKey, nonce); } catch (e) { /* private mode: this page only */ }
  }
  var sealed = null; // {answer, credential, ballot, tracker}: encrypted once, resent as it is
  try { sealed = JSON.parse(window.sessionStorage.getItem(sealedKey) || "null"); } catch (e) { sealed = null; }

  function seal(answer) {
    var marks = answers.map(function (a) { return a === answer ? 1 : 0; });
    var credential = hex(18);
    var ballot = encryptBallot({ spec: spec, publicKey: publicKey, electionId: pollId,
                                 credential: credential, marks: marks, invalid: false });
    sealed = { answer: answer, credential: credential, ballot: ballot,
               tracker: ballotTracker(pollId, credential, ballot) };
    try { window.sessionStorage.setItem(sealedKey, JSON.stringify(sealed)); } catch (e) { /* this page only */ }
  }

  Array.prototype.forEach.call(form.querySelectorAll("button[name=choice]"), function (button) {
    button.addEventListener("click", function (ev) {
      ev.preventDefault();
      chosen = button.value;
      document.getElementById("secret-chosen").textContent = button.textContent;
      form.hidden = true;
      confirmBox.hidden = false;
      castStatus.textContent = "";
      castButton.disabled = false;
      document.getElementById("secret-confirm-title").focus();
    });
  });

  document.getElementById("secret-edit").addEventListener("click", function () {
    confirmBox.hidden = true;
    form.hidden = false;
    sealed = null;
    try { window.sessionStorage.removeItem(sealedKey); } catch (e) { /* nothing kept */ }
    var first = form.querySelector("button[name=choice]");
    if (first) first.focus();
  });

  function acknowledged(body) {
    confirmBox.hidden = true;
    ack.hidden = false;
    document.getElementById("secret-tracker").textContent = body.tracker;
    try {
      window.sessionStorage.removeItem(nonceKey);
      window.sessionStorage.removeItem(sealedKey);
    } catch (e) { /* nothing kept */ }
    document.getElementById("secret-ack-title").focus();
  }

  function refused(error) {
    castStatus.textContent = error.message;
    castStatus.setAttribute("data-code", error.code);
    castButton.disabled = error.code === "already_voted";
  }

  function send(attempt) {
    fetch(form.getAttribute("data-cast-url"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json",
                 "X-CSRFToken": form.elements.csrfmiddlewaretoken.value, "X-Requested-With": "fetch" },
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
    if (attempt >= MAX_TRIES) { castStatus.textContent = msg("failed"); castButton.disabled = false; return; }
    castStatus.textContent = msg("retry");
    setTimeout(function () { send(attempt + 1); }, Math.min(500 * Math.pow(2, attempt), 8000));
  }

  castButton.addEventListener("click", function () {
    castButton.disabled = true;
    castStatus.textContent = msg("sending");
    setTimeout(function () {
      try {
        if (!sealed || sealed.answer !== chosen) seal(chosen);
      } catch (e) {
        refused({ code: "encrypt_failed", message: msg("failed") });
        return;
      }
      send(0);
    }, 0);
  });
})();
