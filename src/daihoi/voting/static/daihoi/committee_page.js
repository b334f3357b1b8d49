// A counting-committee member's device: its part of the key ceremony and of the decryption of the totals
// (docs/crypto.md). Secrets (the transport key, then the key share) stay in this browser's localStorage;
// only public parts are sent. The share's backup is printed as a QR code drawn here.
import {
  newTransportKey, deal, openShares, partialDecrypt, shareBackup, restoreShare,
} from "./committee_crypto.js";

const app = document.getElementById("key-app");
const $ = (id) => document.getElementById(id);
const msg = (name) => app.getAttribute(`data-msg-${name}`) || "";
const status = $("key-status");
const errorBox = $("key-error");
let busy = false;

const store = {
  get(k) { try { return window.localStorage.getItem(k); } catch (e) { return null; } },
  set(k, v) { try { window.localStorage.setItem(k, v); } catch (e) { /* nothing */ } },
};
const transportKey = (s) => `daihoi-transport:${s.electionId}:${s.member}:${s.attempt}`;
const shareKey = (s) => `daihoi-share:${s.electionId}:${s.member}`;

async function post(body) {
  const csrf = app.querySelector("input[name=csrfmiddlewaretoken]").value;
  const r = await fetch(app.dataset.stepUrl, {
    method: "POST", credentials: "same-origin",
    headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf },
    body: JSON.stringify(body),
  });
  const data = await r.json();
  if (!r.ok) throw new Error((data.error && data.error.message) || String(r.status));
  return data.state;
}

function showBackup(s, share) {
  const text = shareBackup({ electionId: s.electionId, member: s.member, share });
  $("backup-text").textContent = text;
  if (window.qrcode) {
    const qr = window.qrcode(0, "M");
    qr.addData(text);
    qr.make();
    $("backup-qr").innerHTML = qr.createSvgTag(4);
    const svg = $("backup-qr").querySelector("svg");
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", text);
    svg.style.maxWidth = "100%";
    svg.style.height = "auto";
  }
  $("key-backup").hidden = false;
}

async function step(s) {
  const me = s.members.find((m) => m.index === s.member);
  if (s.status === "transport") {
    if (me.transport) { status.textContent = msg("wait"); return s; }
    status.textContent = msg("transport");
    const key = newTransportKey();
    store.set(transportKey(s), key.secret);
    return post({ step: "transport", public: key.public });
  }
  if (s.status === "dealing") {
    if (me.dealt) { status.textContent = msg("wait"); return s; }
    status.textContent = msg("dealing");
    const keys = {};
    Object.entries(s.transportKeys).forEach(([i, k]) => { keys[Number(i)] = k; });
    return post({ step: "dealing", dealing: deal({ electionId: s.electionId, dealer: s.member, threshold: s.threshold, transportKeys: keys }) });
  }
  if (s.status === "opening") {
    if (me.share) { status.textContent = msg("wait"); return s; }
    const secret = store.get(transportKey(s));
    if (!secret) { status.textContent = msg("lost"); return s; }
    status.textContent = msg("opening");
    const out = openShares({ electionId: s.electionId, member: s.member, transportSecret: secret, threshold: s.threshold, dealings: s.dealings });
    if (out.complaints.length) {
      status.textContent = msg("complaint");
      return post({ step: "share", complaints: out.complaints });
    }
    store.set(shareKey(s), out.share);
    showBackup(s, out.share);
    return post({ step: "share", public: out.publicShare, proof: out.shareProof });
  }
  // done
  $("key-fingerprint").textContent = s.fingerprint;
  $("key-fingerprint").hidden = false;
  const share = store.get(shareKey(s));
  if (!share) { status.textContent = msg("no-share"); $("key-restore").hidden = false; return s; }
  if ($("key-backup").hidden) showBackup(s, share);
  if (me.decrypted) { status.textContent = msg("decrypted"); $("key-decrypt").hidden = true; return s; }
  status.textContent = msg("done");
  $("key-decrypt").hidden = !(s.totals && !me.decrypted);
  const which = document.getElementById("decrypt-motion");
  if (which) which.textContent = s.motion ? s.motion.title : "";
  return s;
}

async function refresh() {
  if (busy) return;
  busy = true;
  try {
    const r = await fetch(app.dataset.stateUrl, { credentials: "same-origin", headers: { Accept: "application/json" } });
    let s = await r.json();
    for (let i = 0; i < 3 && s.status; i++) {
      const before = JSON.stringify(s.members) + s.status;
      s = await step(s);
      if (JSON.stringify(s.members) + s.status === before) break;
    }
    errorBox.textContent = "";
  } catch (e) {
    errorBox.textContent = e.message;
  } finally {
    busy = false;
  }
}

$("decrypt-button").addEventListener("click", async () => {
  const r = await fetch(app.dataset.stateUrl, { credentials: "same-origin" });
  const s = await r.json();
  const share = store.get(shareKey(s));
  try {
    // A congress's motion key decrypts one motion at a time: its proofs are bound to that motion's id.
    const partial = partialDecrypt({ electionId: s.decryptId || s.electionId, member: s.member, share, totals: s.totals });
    await post(s.motion ? { step: "partial", partial, motion: s.motion.id } : { step: "partial", partial });
    status.textContent = msg("decrypted");
    $("key-decrypt").hidden = true;
  } catch (e) {
    errorBox.textContent = e.message;
  }
});

$("restore-button").addEventListener("click", async () => {
  const r = await fetch(app.dataset.stateUrl, { credentials: "same-origin" });
  const s = await r.json();
  try {
    const shares = {};
    Object.entries(s.publicShares || {}).forEach(([i, p]) => { shares[Number(i)] = p; });
    const out = restoreShare($("restore-text").value, { electionId: s.electionId, publicShares: shares });
    if (out.member !== s.member) throw new Error("not your share");
    store.set(shareKey(s), out.share);
    $("key-restore").hidden = true;
    refresh();
  } catch (e) {
    errorBox.textContent = e.message;
  }
});

$("backup-print").addEventListener("click", () => window.print());

refresh();
setInterval(refresh, 2000);
