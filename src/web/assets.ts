import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

// From src/web (tests) and dist/web (the build) alike, two levels up is the repository, whose src/web/assets ships with the image.
const ASSET_DIR = fileURLToPath(new URL('../../src/web/assets/', import.meta.url));
const require = createRequire(import.meta.url);

interface Asset {
  body: Buffer;
  type: string;
  /** Part of the address, so a changed file is a new address and the old one can be cached for a year. */
  version: string;
}

function asset(body: Buffer, type: string): Asset {
  return { body, type, version: createHash('sha256').update(body).digest('hex').slice(0, 12) };
}

const load = (path: string, type: string) => asset(readFileSync(path), type);

/** app.<ext> first, then each page area's own file (calendar.css, composer.js ...) in name order: one request for all. */
function bundle(ext: 'css' | 'js', type: string): Asset {
  const names = readdirSync(ASSET_DIR)
    .filter((n) => n.endsWith(`.${ext}`) && n !== `app.${ext}`)
    .sort();
  return asset(Buffer.concat([`app.${ext}`, ...names].map((n) => Buffer.concat([readFileSync(ASSET_DIR + n), Buffer.from('\n')]))), type);
}

/** The staff pages' only style sheet and scripts, served by the app itself: no build step, no CDN. */
export const ASSETS: Record<string, Asset> = {
  'app.css': bundle('css', 'text/css; charset=utf-8'),
  'app.js': bundle('js', 'text/javascript; charset=utf-8'),
  'icon.svg': load(ASSET_DIR + 'icon.svg', 'image/svg+xml'),
  'htmx.min.js': load(require.resolve('htmx.org/dist/htmx.min.js'), 'text/javascript; charset=utf-8'),
};

export const assetUrl = (name: keyof typeof ASSETS & string) => `/assets/${name}?v=${ASSETS[name]!.version}`;
