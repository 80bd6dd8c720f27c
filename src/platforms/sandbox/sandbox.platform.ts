import { definePlatform } from '#src/platforms/platform-descriptor.js';
import { SandboxAdapter } from '#src/platforms/sandbox/sandbox.adapter.js';
import { codePointCount, MB, WEB_IMAGES } from '#src/platforms/text-count.js';

/** CivicPost's own training feed: nothing leaves CivicPost. */
export const sandboxPlatform = definePlatform({
  id: 'sandbox',
  name: 'Sandbox',
  publicName: 'Sandbox (training, never published)',
  text: { unit: 'characters', limit: 5000, count: codePointCount },
  media: {
    maxItems: 10,
    images: { types: [...WEB_IMAGES, 'image/heic', 'image/avif', 'image/bmp', 'image/tiff'], maxBytes: 20 * MB },
    acceptsOutsideUrls: true,
  },
  threads: false,
  metrics: ['likes', 'reposts', 'replies', 'impressions'],
  fields: [],
  baseUrls: {},
  reconciliation: { answers: 'found_or_absent', how: 'the feed, by idempotency key' },
  adapter: ({ sandboxStore, clock }) => new SandboxAdapter(sandboxStore, clock),
});
