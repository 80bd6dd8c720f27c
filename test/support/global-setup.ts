import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { transformFileSync, type Options } from '@swc/core';
// The root's jest config is outside every alias; plain JavaScript, no declarations.
// @ts-expect-error: plain JavaScript config, no declarations
// eslint-disable-next-line no-restricted-imports
import { swcOptions } from '../../jest.config.js';

const root = join(import.meta.dirname, '..', '..');

/**
 * End-to-end tests run the real program: build it once (dist/), and compile the
 * test fixtures that boot it with an extra module (test/.build/, whose `#src/`
 * imports resolve to dist/ through package.json "imports"). Unit and int tests need neither.
 */
export default function globalSetup(): void {
  // The e2e and browser projects both name this setup: one build per jest run is enough.
  if (process.env.CIVICPOST_TEST_BUILT === '1') return;
  process.env.CIVICPOST_TEST_BUILT = '1';
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], {
    stdio: 'inherit',
  });
  const fixtures = join(root, 'test', 'fixtures');
  const out = join(root, 'test', '.build');
  mkdirSync(out, { recursive: true });
  for (const file of readdirSync(fixtures).filter((f) => f.endsWith('.ts'))) {
    const { code } = transformFileSync(join(fixtures, file), swcOptions as Options);
    writeFileSync(join(out, file.replace(/\.ts$/, '.js')), code);
  }
}
