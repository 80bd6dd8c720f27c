// Runs one benchmark: `node bench/run.mjs <name>` compiles bench/<name>.ts with SWC (as the tests are)
// into bench/.build/ and runs it. Its `#src/` imports resolve to dist/ (package.json "imports"), so
// `npm run build` comes first (the npm scripts do it).
import { transformFileSync } from '@swc/core';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { swcOptions } from '../jest.config.js';

const name = process.argv[2];
if (!name || !/^[a-z-]+$/.test(name)) {
  console.error('usage: node bench/run.mjs <benchmark name>');
  process.exit(2);
}
const here = import.meta.dirname;
const out = join(here, '.build');
mkdirSync(out, { recursive: true });
const { code } = transformFileSync(join(here, `${name}.ts`), swcOptions);
const file = join(out, `${name}.js`);
writeFileSync(file, code);
await import(pathToFileURL(file).href);
