"""Run ballot_crypto.js inside Debian's Chromium (Playwright, as tests/browser does) on a job, in its own
process so that Playwright's event loop never meets the rest of the suite.

    python tests/crypto/js_runner.py JOB.json   ->   JSON results on stdout

The page is served from a routed origin (http://daihoi.test/), straight from the static files: no server,
no network.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from playwright.sync_api import Route, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "src" / "daihoi" / "voting" / "static"
ORIGIN = "http://daihoi.test"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

SCRIPT = """
async (job) => {
  const m = await import("/static/daihoi/ballot_crypto.js");
  const hex = (h) => new Uint8Array((h.match(/../g) || []).map((x) => parseInt(x, 16)));
  const out = { vectors: [], hashes: [], fresh: [], bench: [], refused: [], committee: null };
  if (job.committee) {
    const c = await import("/static/daihoi/committee_crypto.js");
    const j = job.committee;
    const dealing = c.deal({ electionId: j.election_id, dealer: j.member, threshold: j.threshold,
      transportKeys: j.transport_keys, rng: m.seededRng(hex(j.seed)) });
    const args = { electionId: j.election_id, member: j.member, transportSecret: j.transport_secret,
      threshold: j.threshold };
    const opened = c.openShares({ ...args, dealings: [...j.dealings, dealing] });
    const tampered = c.openShares({ ...args, dealings: [...j.bad_dealings, dealing] });
    const partial = c.partialDecrypt({ electionId: j.election_id, member: j.member, share: opened.share,
      totals: j.totals });
    const key = c.newTransportKey();
    const backup = c.shareBackup({ electionId: j.election_id, member: j.member, share: opened.share });
    const restored = c.restoreShare(j.python_backup, { electionId: j.election_id, publicShares: j.public_shares });
    let wrongElection = null;
    try {
      c.restoreShare(backup, { electionId: "another", publicShares: j.public_shares });
    } catch (e) {
      wrongElection = String(e.message);
    }
    out.committee = { dealing, opened, partial, complaints: tampered.complaints, key,
      fingerprint: c.keyFingerprint(opened.publicKey), backup, restored, wrongElection };
  }
  for (const h of job.hashes || []) {
    const k = m.hashToScalar(h.domain, ...h.parts.map(hex));
    let s = k, bytes = [];
    for (let i = 0; i < 32; i++) { bytes.push(Number(s & 255n).toString(16).padStart(2, "0")); s >>= 8n; }
    out.hashes.push(bytes.join(""));
  }
  for (const b of job.vectors || []) {
    const ballot = m.encryptBallot({ spec: b.spec, publicKey: b.public_key, electionId: b.election_id,
      credential: b.credential, marks: b.marks, invalid: b.invalid, rng: m.seededRng(hex(b.seed)) });
    out.vectors.push({ ballot, tracker: m.ballotTracker(b.election_id, b.credential, b.ballot) });
  }
  for (const f of job.fresh || []) {
    const ballot = m.encryptBallot({ spec: f.spec, publicKey: f.public_key, electionId: f.election_id,
      credential: f.credential, marks: f.marks, invalid: f.invalid });
    out.fresh.push({ ballot, tracker: m.ballotTracker(f.election_id, f.credential, ballot) });
  }
  for (const f of job.refuse || []) {
    try {
      m.encryptBallot({ spec: f.spec, publicKey: f.public_key, electionId: f.election_id,
        credential: f.credential, marks: f.marks, invalid: f.invalid });
      out.refused.push(null);
    } catch (e) {
      out.refused.push(String(e.message));
    }
  }
  for (const f of job.bench || []) {
    const times = [];
    for (let i = 0; i < f.repeat; i++) {
      const t0 = performance.now();
      m.encryptBallot({ spec: f.spec, publicKey: f.public_key, electionId: f.election_id,
        credential: `${f.credential}-${i}`, marks: f.marks, invalid: false });
      times.push(performance.now() - t0);
    }
    out.bench.push(times);
  }
  return out;
}
"""


def _serve(route: Route) -> None:
    path = route.request.url.removeprefix(ORIGIN)
    if path == "/":
        route.fulfill(status=200, content_type="text/html", body="<!doctype html><title>crypto</title>")
        return
    file = (STATIC / path.removeprefix("/static/")).resolve()
    if not path.startswith("/static/") or STATIC not in file.parents or not file.is_file():
        route.fulfill(status=404, body="not found")
        return
    route.fulfill(status=200, content_type="text/javascript", body=file.read_bytes())


def run(job: dict[str, object]) -> dict[str, object]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.route(f"{ORIGIN}/**", _serve)
            page.goto(f"{ORIGIN}/")
            result: dict[str, object] = page.evaluate(SCRIPT, job)
        finally:
            browser.close()
    return result


if __name__ == "__main__":
    job = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    sys.stdout.write(json.dumps(run(job)))
