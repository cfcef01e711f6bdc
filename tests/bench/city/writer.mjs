// Writes visit records through the API at RATE per second while the readers are measured: each county's
// coordinator (of the special school) records the sessions the seed left unrecorded (writable.txt, one
// "county sessionKey date start end staffId mode" a line). Stops after DURATION seconds; prints the count
// written, the refusals, and the write latency.
import { readFileSync } from 'node:fs';

const base = process.env.BASE_URL;
const password = process.env.PASSWORD;
const seconds = Number(process.env.DURATION ?? 30);
const rate = Number(process.env.RATE ?? 20);
const rows = readFileSync(process.env.WRITABLE, 'utf8').trim().split('\n').map(l => l.split(' '));

const tokens = {};
for (const county of new Set(rows.map(r => r[0]))) {
  const r = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userName: `${county}-coordinator`, password }) });
  tokens[county] = (await r.json()).accessToken;
}

// Round robin over the counties, so that every county's summary sees writes.
const groups = new Map();
for (const r of rows) groups.set(r[0], [...(groups.get(r[0]) ?? []), r]);
const byCounty = [...groups.values()];
const queue = [];
for (let i = 0; queue.length < rows.length; i++) {
  for (const list of byCounty) if (i < list.length) queue.push(list[i]);
}

let written = 0, refused = 0, next = 0;
const latencies = [], pending = [];
const started = Date.now();
async function write([county, sessionKey, date, start, end, staffId, mode]) {
  const body = { sessionKey, date, start, end, staffPresent: [staffId], place: mode === 'remote' ? 'Online' : 'Home',
    content: '认识日常用品', goalsAddressed: ['能独立用勺进食'], childResponse: '能配合', guardianFeedback: '孩子情绪稳定', guardianName: '家长',
    homeTask: '每天练习两次', missed: false };
  const t = performance.now();
  const r = await fetch(`${base}/api/visits`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[county]}` },
    body: JSON.stringify(body) });
  latencies.push(performance.now() - t);
  if (r.ok) written++; else { refused++; if (refused <= 3) console.error(`visit refused: ${r.status} ${(await r.text()).slice(0, 300)}`); }
}
while (Date.now() - started < seconds * 1000 && next < queue.length) {
  pending.push(write(queue[next++]));
  const due = started + (next * 1000) / rate;
  await new Promise(resolve => setTimeout(resolve, Math.max(0, due - Date.now())));
}
await Promise.all(pending);
latencies.sort((a, b) => a - b);
const pct = p => latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))].toFixed(1) : 'n/a';
console.log(`writer: ${written} visit records written, ${refused} refused in ${((Date.now() - started) / 1000).toFixed(1)} s; write p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms`);
