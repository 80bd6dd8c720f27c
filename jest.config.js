/** Jest in native ESM mode (NestJS 12 ships ES modules); TypeScript through SWC with decorator metadata. */
export const swcOptions = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: 'es2022',
  },
  module: { type: 'es6' },
};

const shared = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { ...swcOptions, sourceMaps: 'inline' }] },
  moduleNameMapper: {
    '^#src/(.*)\\.js$': '<rootDir>/src/$1',
    '^#test/(.*)\\.js$': '<rootDir>/test/$1',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
};

/** Tests that run the built program (dist/) or the compiled fixtures (test/.build/) need the build first. */
const built = { globalSetup: '<rootDir>/test/support/global-setup.ts' };

/**
 * Four tiers, each fast for what it does (docs/testing.md): `unit` (no build, no database),
 * `int` (real PostgreSQL and queue), `e2e` (the app over HTTP, child processes), `browser` (Chromium).
 * `npm test` runs them all in the storage mode the environment selects.
 */
export default {
  testTimeout: 90_000,
  maxWorkers: 2,
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    { ...shared, displayName: 'int', testMatch: ['<rootDir>/test/**/*.int-spec.ts'] },
    { ...shared, ...built, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
    { ...shared, ...built, displayName: 'browser', testMatch: ['<rootDir>/test/**/*.browser-spec.ts'] },
  ],
};
