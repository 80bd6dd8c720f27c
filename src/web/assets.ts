import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
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

function load(path: string, type: string): Asset {
  const body = readFileSync(path);
  return { body, type, version: createHash('sha256').update(body).digest('hex').slice(0, 12) };
}

/** The staff pages' only style sheet and scripts, served by the app itself: no build step, no CDN. */
export const ASSETS: Record<string, Asset> = {
  'app.css': load(ASSET_DIR + 'app.css', 'text/css; charset=utf-8'),
  'app.js': load(ASSET_DIR + 'app.js', 'text/javascript; charset=utf-8'),
  'icon.svg': load(ASSET_DIR + 'icon.svg', 'image/svg+xml'),
  'htmx.min.js': load(require.resolve('htmx.org/dist/htmx.min.js'), 'text/javascript; charset=utf-8'),
};

export const assetUrl = (name: keyof typeof ASSETS & string) => `/assets/${name}?v=${ASSETS[name]!.version}`;
