// The layers of src/ (docs/decisions.md, issue 16): every import points down.
//   web -> modules -> platforms, queue -> storage -> common, config
// src/app.ts, src/app.module.ts and src/main.ts compose the layers and may import any of them.
// `npm run lint` runs this; `import type` counts as much as any other import (tsPreCompilationDeps).

/** A rule forbidding `layer` to import any of `above`. */
const below = (layer, above, comment) => ({
  name: `${layer}-imports-down`,
  severity: 'error',
  comment,
  // A spec may import the layers above its own to check that they read what this layer declares
  // (the platform registry's spec checks pages, reports and channels derive their lists from it).
  from: { path: `^src/${layer}/`, pathNot: '[.]spec[.]ts$' },
  to: { path: `^src/(${above.join('|')})/` },
});

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    below('modules', ['web'], 'modules return data; pages, PDF, CSV and error pages are the web layer'),
    below('platforms', ['web', 'modules', 'queue', 'storage'], 'an adapter knows the platform, not our entities or storage'),
    below('queue', ['web', 'modules', 'platforms'], 'the queue contract depends on storage, common and config only'),
    below(
      'storage',
      ['web', 'modules', 'platforms', 'queue'],
      'storage is told the entities (src/modules/entities.ts), it does not import them',
    ),
    below('common', ['web', 'modules', 'platforms', 'queue', 'storage'], 'common is below every feature'),
    below('config', ['web', 'modules', 'platforms', 'queue', 'storage', 'common'], 'configuration is read first, by everything'),
    {
      name: 'layers-do-not-import-the-composition-root',
      severity: 'error',
      from: { path: '^src/[^/]+/' },
      to: { path: '^src/(app|app[.]module|main)[.]ts$' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'a file never imports a file that imports it back, directly or through others',
      from: {},
      to: { circular: true },
    },
    {
      name: 'only-repositories-touch-typeorm',
      severity: 'error',
      comment:
        'queries live in *.repository.ts; entities need its decorators; storage opens the data source; ' +
        'the composition root (src/*.ts) creates it',
      from: {
        path: '^src/',
        pathNot: ['[.](repository|entity)[.]ts$', '^src/storage/', '^src/[^/]+[.]ts$', '^src/modules/system/'],
      },
      to: { path: '^node_modules/typeorm/' },
    },
    {
      name: 'console-wiring-only-passes-a-data-source',
      severity: 'error',
      comment:
        'the first start and the console commands run outside Nest and are handed a DataSource type; their queries are in repositories',
      from: { path: '^src/modules/system/', pathNot: '[.]repository[.]ts$' },
      to: { path: '^node_modules/typeorm/', dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Specs import test helpers; the graph is that of src/ only.
    exclude: { path: '^(dist|test|bench)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    webpackConfig: { fileName: '.dependency-cruiser-resolve.cjs' },
  },
};
