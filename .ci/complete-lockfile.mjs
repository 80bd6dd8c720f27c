// The npm registry this project installs from serves only some platforms of packages that ship
// per-platform binaries as optional dependencies (@swc/core-*, unrs-resolver, msgpackr-extract), so
// `npm install` leaves the others out of package-lock.json and `npm ci` then refuses the lock as
// out of sync. This adds an entry, limited to its os and cpu, for each missing one: npm skips it on
// every other platform and never fetches it. Run through `npm run lockfile` after changing dependencies.
import { readFileSync, writeFileSync } from 'node:fs';
const lockPath = process.argv[2] ?? 'package-lock.json';
const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
const pkgs = lock.packages;
let added = 0;
for (const [path, meta] of Object.entries(pkgs)) {
  for (const [name, spec] of Object.entries(meta.optionalDependencies ?? {})) {
    // npm resolves a dependency next to the dependent, then up the tree; a missing one lands at the top.
    const base = path ? `${path}/node_modules/` : 'node_modules/';
    if (pkgs[`${base}${name}`] || pkgs[`node_modules/${name}`]) continue;
    const m = name.match(/-(darwin|win32|linux|android|freebsd|openharmony|sunos|aix|netbsd|openbsd)-([a-z0-9]+)/);
    if (!m) continue;
    const entry = { version: spec.replace(/^[\^~=]/, ''), optional: true, os: [m[1]], cpu: [m[2]] };
    if (meta.dev) entry.dev = true;
    pkgs[`node_modules/${name}`] = entry;
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(pkgs).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
writeFileSync(lockPath, JSON.stringify(lock, null, 2) + '\n');
console.log(`added ${added} entries`);
