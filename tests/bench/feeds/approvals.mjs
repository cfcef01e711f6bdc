// Writes approvals while the feeds are read: each child gets a plan that is created, submitted and
// approved through the API. Stops after DURATION seconds and prints how many were approved.
import { readFileSync } from 'node:fs';

const base = process.env.BASE_URL;
const password = process.env.PASSWORD;
const seconds = Number(process.env.DURATION ?? 30);
const children = readFileSync(process.env.CHILDREN, 'utf8').trim().split('\n');
const term = readFileSync(process.env.TERM_FILE, 'utf8').trim();

async function login(userName) {
  const r = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userName, password }) });
  return (await r.json()).accessToken;
}

const coordinator = await login('bench-coordinator');
const approver = await login('bench-approver');
const json = (token, etag) => ({ 'content-type': 'application/json', authorization: `Bearer ${token}`, ...(etag ? { 'if-match': etag } : {}) });
const plan = { coursePlan: '康复训练', content: '抓握练习', goals: ['抓握'], mode: 'Home', homeVisitsPerWeek: 1, remoteSessionsPerWeek: 0, lessonsPerVisit: 2,
  windows: [{ day: 2, from: '09:00', to: '12:00' }], requiredSkills: ['special-education'], teamSize: 1 };
const until = Date.now() + seconds * 1000;
let approved = 0;
for (const child of children) {
  if (Date.now() > until) break;
  const created = await (await fetch(`${base}/api/plans`, { method: 'POST', headers: json(coordinator), body: JSON.stringify({ studentId: child, termId: term, plan }) })).json();
  const submitted = await (await fetch(`${base}/api/plans/${created.id}/submit`, { method: 'POST', headers: json(coordinator, created.eTag), body: '{}' })).json();
  const decision = await fetch(`${base}/api/plans/${created.id}/approve`, { method: 'POST', headers: json(approver, submitted.eTag), body: JSON.stringify({ opinion: '同意' }) });
  if (decision.ok) approved++;
}
console.log(`approvals written during the run: ${approved}`);
