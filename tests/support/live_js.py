"""Run the page's live reducer (live.js's `receive`, in node) on the pushes a screen got, so the tests
compare what the real JS holds, not a port of it."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

LIVE_JS = (
    Path(__file__).resolve().parents[2] / "src" / "daihoi" / "congress" / "static" / "daihoi" / "live.js"
)
NODE = shutil.which("node")

RUNNER = """
const live = require(process.argv[1]);
let input = "";
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const job = JSON.parse(input);
  let held = {state: job.state, src: null, n: 0};
  for (const msg of job.messages) {
    const next = live.receive(held, msg);
    if (next) held = next;
  }
  process.stdout.write(JSON.stringify(held.state));
});
"""


def js_screen_state(state: dict[str, Any], texts: list[str]) -> dict[str, Any]:
    """The state live.js holds after starting from `state` (a fetch of state.json) and receiving the
    socket messages `texts`, in order."""
    if NODE is None:
        raise RuntimeError("node is needed to run live.js (apt-get install nodejs)")
    job = json.dumps({"state": state, "messages": [json.loads(t) for t in texts]})
    done = subprocess.run(
        [NODE, "-e", RUNNER, str(LIVE_JS)], input=job, capture_output=True, text=True, timeout=60, check=True
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result
