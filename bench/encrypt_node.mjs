// The phone's encryption timed under Node (v20+): ballot_crypto.js's encryptBallot, as the page calls it.
//   node --experimental-default-type=module bench/encrypt_node.mjs JOB.json  ->  JSON on stdout
// JOB: {"module": "<path of ballot_crypto.js>", "cases": [{spec, public_key, election_id, marks, runs}]}
// Each case: the wall-clock and CPU milliseconds of each run (the first one includes compiling the code).
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const job = JSON.parse(readFileSync(process.argv[2], "utf-8"));
const m = await import(pathToFileURL(job.module).href);
const out = [];
for (const c of job.cases) {
  const wall = [];
  const cpu = [];
  let size = 0;
  for (let i = 0; i < c.runs; i++) {
    const t0 = performance.now();
    const u0 = process.cpuUsage();
    const ballot = m.encryptBallot({ spec: c.spec, publicKey: c.public_key, electionId: c.election_id,
      credential: `bench-${i}`, marks: c.marks });
    const u = process.cpuUsage(u0);
    wall.push(performance.now() - t0);
    cpu.push((u.user + u.system) / 1000);
    size = JSON.stringify(ballot).length;
  }
  out.push({ wall_ms: wall, cpu_ms: cpu, ballot_bytes: size });
}
process.stdout.write(JSON.stringify(out));
