import { BlueskyAdapter } from '#src/platforms/bluesky/bluesky.adapter.js';
import { definePlatform } from '#src/platforms/platform-descriptor.js';
import { secretField } from '#src/platforms/platform-fields.js';
import { graphemeCount } from '#src/platforms/text-count.js';

export const blueskyPlatform = definePlatform({
  id: 'bluesky',
  name: 'Bluesky',
  text: { unit: 'graphemes', limit: 300, count: graphemeCount },
  // app.bsky.embed.images blob maxSize 2,000,000 bytes (lexicon, as @atproto/api ships it).
  media: { maxItems: 4, images: { types: ['image/jpeg', 'image/png', 'image/webp', 'image/gif'], maxBytes: 2_000_000 } },
  threads: true,
  metrics: ['likes', 'reposts', 'replies', 'quotes'],
  fields: [
    {
      group: 'settings',
      key: 'serviceUrl',
      label: 'channels.field.serviceUrl',
      hint: 'channels.hint.serviceUrl',
      type: 'url',
      secret: false,
      required: false,
      check: { kind: 'url', default: 'https://bsky.social' },
    },
    {
      group: 'credentials',
      key: 'identifier',
      label: 'channels.field.identifier',
      hint: 'channels.hint.identifier',
      type: 'text',
      secret: false,
      required: true,
      autocomplete: 'off',
    },
    secretField('appPassword', 'channels.field.appPassword', 'channels.hint.appPassword'),
  ],
  // The service URL is a setting of each channel.
  baseUrls: {},
  reconciliation: { answers: 'found_or_absent', how: 'getRecord of the record key derived from the target and part' },
  adapter: ({ options }) => new BlueskyAdapter(options),
});
