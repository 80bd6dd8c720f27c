// Runs one benchmark: `node bench/run.mjs <name>` compiles every bench/*.ts with SWC (as the tests are)
// into bench/.build/, so a benchmark may import a helper module beside it (`./mastodon-fake.js`), and
// runs bench/.build/<name>.js. Its `#src/` imports resolve to dist/ (package.json "imports"), so
// `npm run build` comes first (the npm scripts do it).
import { transformFileSync } from '@swc/core';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { swcOptions } from '../jest.config.js';

const name = process.argv[2];
const here = import.meta.dirname;
if (!name || !/^[a-z-]+$/.test(name) || !existsSync(join(here, `${name}.ts`))) {
  console.error('usage: node bench/run.mjs <benchmark name> (a bench/<name>.ts)');
  process.exit(2);
}
const out = join(here, '.build');
mkdirSync(out, { recursive: true });
for (const file of readdirSync(here).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))) {
  const { code } = transformFileSync(join(here, file), swcOptions);
  writeFileSync(join(out, file.replace(/\.ts$/, '.js')), code);
}
await import(pathToFileURL(join(out, `${name}.js`)).href);
