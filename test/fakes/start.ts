/**
 * `npm run fakes`: the six fake platforms on fixed local ports, for a demo or a manual test of
 * CivicPost without touching a real platform. Prints the variables to start CivicPost with and the
 * channels to add; Ctrl-C stops them. FAKES_PORT (default 4010) is the first of six ports.
 */
import { BlueskyFake } from './bluesky.fake.js';
import { FacebookFake } from './facebook.fake.js';
import type { FakePlatform } from './fake-server.js';
import { LinkedInFake } from './linkedin.fake.js';
import { MastodonFake } from './mastodon.fake.js';
import { TelegramFake } from './telegram.fake.js';
import { XFake } from './x.fake.js';

const first = Number(process.env.FAKES_PORT ?? 4010);
const fakes: FakePlatform[] = [
  new XFake(),
  new MastodonFake(),
  new BlueskyFake(),
  new FacebookFake(),
  new LinkedInFake(),
  new TelegramFake(),
];

for (const [i, fake] of fakes.entries()) await fake.start(first + i);

const env = Object.assign({}, ...fakes.map((f) => f.demoChannel().env)) as Record<string, string>;
console.log('Fake platforms are listening:');
for (const fake of fakes)
  console.log(`  ${fake.name.padEnd(9)} ${fake.url}   (ledger: ${fake.url}/__fake/ledger, faults: POST ${fake.url}/__fake/faults)`);
console.log('\nStart CivicPost pointed at them:\n');
console.log(
  `  ${Object.entries(env)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ')} npm start\n`,
);
console.log(
  'Then add these channels (POST /api/institutions/{id}/channels, as an admin), and verify each (POST .../channels/{channelId}/verify):\n',
);
for (const fake of fakes) {
  const { platform, settings, credentials } = fake.demoChannel();
  console.log(`  ${JSON.stringify({ platform, displayName: `${fake.name} (fake)`, settings, credentials })}`);
}
console.log(
  '\nA fault for the next publication, e.g.: curl -X POST -d \'{"fault":"accept_then_drop"}\' ' + `${fakes[0]!.url}/__fake/faults`,
);

const stop = async () => {
  await Promise.all(fakes.map((f) => f.stop()));
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
