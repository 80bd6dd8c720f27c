// Summarises a V8 .cpuprofile (node --cpu-prof): how busy the main thread was second by second, then
// self time per package and per function, top first, over the seconds it was more than half busy (the
// benchmark's run, not start-up or idle waiting). `node bench/profile-summary.mjs <file.cpuprofile> [rows]`
import { readFileSync } from 'node:fs';

const [file, rowsArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/profile-summary.mjs <file.cpuprofile> [rows]');
  process.exit(2);
}
const rows = Number(rowsArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const isIdle = (id) => byId.get(id).callFrame.functionName === '(idle)';
// Per second of the profile: sampled time and idle time.
const seconds = [];
let t = 0;
const at = [];
for (let i = 0; i < profile.samples.length; i++) {
  const dt = profile.timeDeltas[i] ?? 0;
  t += dt;
  const s = Math.floor(t / 1e6);
  at.push(s);
  seconds[s] ??= { total: 0, idle: 0 };
  seconds[s].total += dt;
  if (isIdle(profile.samples[i])) seconds[s].idle += dt;
}
const busy = (s) => (seconds[s] && seconds[s].total ? 1 - seconds[s].idle / seconds[s].total : 0);
console.log('main thread busy per second: ' + seconds.map((_, s) => Math.round(100 * busy(s))).join(' '));
const self = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  if (busy(at[i]) <= 0.5) continue;
  const dt = profile.timeDeltas[i] ?? 0;
  self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + dt);
}
const total = [...self.values()].reduce((a, b) => a + b, 0);
const packageOf = (url) => {
  if (!url) return '(native/idle)';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  if (url.includes('/dist/')) return 'civicpost (dist)';
  if (url.startsWith('node:')) return 'node core';
  return url;
};
const fn = new Map();
const pkg = new Map();
for (const [id, us] of self) {
  const n = byId.get(id);
  const cf = n.callFrame;
  const key = `${cf.functionName || '(anonymous)'} ${cf.url ? cf.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/dist\//, 'dist/') : ''}:${cf.lineNumber + 1}`;
  fn.set(key, (fn.get(key) ?? 0) + us);
  const p =
    cf.functionName === '(idle)'
      ? '(idle)'
      : cf.functionName === '(garbage collector)'
        ? '(gc)'
        : cf.functionName === '(program)'
          ? '(program)'
          : packageOf(cf.url);
  pkg.set(p, (pkg.get(p) ?? 0) + us);
}
const pct = (us) => ((100 * us) / total).toFixed(1).padStart(5) + '%';
console.log(`${(total / 1e6).toFixed(1)} s sampled in the seconds more than half busy`);
console.log('\nby package (self time):');
for (const [k, v] of [...pkg].sort((a, b) => b[1] - a[1]).slice(0, rows)) console.log(`${pct(v)}  ${k}`);
console.log('\nby function (self time):');
for (const [k, v] of [...fn].sort((a, b) => b[1] - a[1]).slice(0, rows)) console.log(`${pct(v)}  ${k}`);
