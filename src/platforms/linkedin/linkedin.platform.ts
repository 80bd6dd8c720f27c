import { LinkedInAdapter } from '#src/platforms/linkedin/linkedin.adapter.js';
import { escapeLittleText } from '#src/platforms/linkedin/linkedin-text.js';
import { definePlatform } from '#src/platforms/platform-descriptor.js';
import { secretField } from '#src/platforms/platform-fields.js';
import { codePointCount, MB } from '#src/platforms/text-count.js';

export const linkedinPlatform = definePlatform({
  id: 'linkedin',
  name: 'LinkedIn',
  // LinkedIn receives the text with its reserved characters escaped, and the escapes count.
  text: {
    unit: 'characters (reserved characters count twice: they are escaped)',
    limit: 3000,
    count: (t) => codePointCount(escapeLittleText(t)),
  },
  // Images API: JPG, GIF, PNG, up to 36,152,320 pixels.
  media: { maxItems: 9, images: { types: ['image/jpeg', 'image/png', 'image/gif'], maxBytes: 20 * MB, maxPixels: 36_152_320 } },
  threads: false,
  metrics: ['likes', 'reposts', 'replies', 'impressions', 'clicks'],
  fields: [
    {
      group: 'settings',
      key: 'organizationUrn',
      label: 'channels.field.organizationUrn',
      hint: 'channels.hint.organizationUrn',
      type: 'text',
      secret: false,
      required: true,
      check: {
        kind: 'pattern',
        pattern: /^urn:li:organization:\d{1,30}$/,
        problem: 'must be the organisation URN, like urn:li:organization:123456',
      },
    },
    secretField('accessToken', 'channels.field.accessToken', 'channels.hint.linkedinToken'),
  ],
  baseUrls: { linkedin: { variable: 'LINKEDIN_API_BASE_URL', default: 'https://api.linkedin.com' } },
  reconciliation: { answers: 'found_or_absent', how: 'the posts finder by author: the same text (little text undone)' },
  adapter: ({ options }) => new LinkedInAdapter(options),
});
