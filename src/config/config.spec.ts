import { describe, expect, it } from '@jest/globals';
import { ConfigError, hasHashTag, loadConfig, parseCadence, parseCredentialsKey } from '#src/config/config.js';

const DB = 'postgres://u:p@127.0.0.1:5432/civicpost';
const KEY = '0123456789abcdef'.repeat(4);

function problem(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('defaults to embedded storage, role all, port 3000, ./data', () => {
    expect(loadConfig({})).toMatchObject({ storage: 'embedded', role: 'all', port: 3000, dataDir: './data', seedDemo: true });
  });

  it('chooses the storage mode from DATABASE_URL and REDIS_URL alone', () => {
    expect(loadConfig({ DATABASE_URL: DB, CREDENTIALS_KEY: KEY }).storage).toBe('postgres');
    expect(loadConfig({ DATABASE_URL: DB, CREDENTIALS_KEY: KEY, REDIS_URL: 'redis://127.0.0.1:6379' }).storage).toBe('postgres+redis');
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', REDIS_URL: ' ', PORT: '' })).toMatchObject({ storage: 'embedded', port: 3000 });
  });

  it('accepts the key as hex or base64 of 32 bytes, and nothing else', () => {
    expect(parseCredentialsKey(KEY)).toEqual(Buffer.from(KEY, 'hex'));
    expect(parseCredentialsKey(Buffer.alloc(32, 7).toString('base64'))).toEqual(Buffer.alloc(32, 7));
    expect(parseCredentialsKey(Buffer.alloc(16).toString('base64'))).toMatch(/decodes to 16 bytes/);
  });

  it.each([
    [{ PORT: '-1' }, 'PORT'],
    [{ PORT: '3000.5' }, 'PORT'],
    [{ DATABASE_URL: 'postgres://' }, 'DATABASE_URL'],
    [{ DATABASE_URL: DB, CREDENTIALS_KEY: KEY, REDIS_URL: 'redis:/nohost' }, 'REDIS_URL'],
    [{ ADMIN_EMAIL: 'not-an-email', ADMIN_PASSWORD: 'long enough password' }, 'ADMIN_EMAIL'],
    [{ ADMIN_EMAIL: 'a@b.example', ADMIN_PASSWORD: 'short' }, 'ADMIN_PASSWORD'],
    [{ ADMIN_EMAIL: 'a@b.example' }, 'ADMIN_PASSWORD'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ PUBLIC_BASE_URL: 'civicpost.example.org' }, 'PUBLIC_BASE_URL'],
    [{ X_API_BASE_URL: 'ftp://fake' }, 'X_API_BASE_URL'],
    [{ METRICS_CADENCE: '15m:1d,1h:12h' }, 'METRICS_CADENCE'],
    [{ METRICS_CADENCE: 'every 15 minutes' }, 'METRICS_CADENCE'],
    [{ TRANSPARENCY_LICENCE: 'all rights reserved' }, 'TRANSPARENCY_LICENCE'],
    [{ SHUTDOWN_TIMEOUT_MS: 'soon' }, 'SHUTDOWN_TIMEOUT_MS'],
  ])('refuses %j naming %s', (env, variable) => {
    expect(problem(env).variable).toBe(variable);
  });

  it('reads the engagement cadence: 15 minutes to a day, hourly to a week, daily to 30 days by default', () => {
    const min = 60_000,
      hour = 60 * min,
      day = 24 * hour;
    expect(loadConfig({}).metrics.cadence).toEqual([
      { everyMs: 15 * min, untilAgeMs: day },
      { everyMs: hour, untilAgeMs: 7 * day },
      { everyMs: day, untilAgeMs: 30 * day },
    ]);
    expect(parseCadence('5m:2h, 1d:90d')).toEqual([
      { everyMs: 5 * min, untilAgeMs: 2 * hour },
      { everyMs: day, untilAgeMs: 90 * day },
    ]);
    expect(parseCadence('30s:1d')).toMatch(/EVERY:UNTIL/);
    expect(loadConfig({}).transparencyLicence).toBe('CC-BY-4.0');
  });
  describe('REDIS_CLUSTER_NODES', () => {
    const base = { DATABASE_URL: DB, CREDENTIALS_KEY: KEY };

    it('reads seed nodes as host:port or URLs, with one set of credentials and TLS for the cluster', () => {
      const plain = loadConfig({ ...base, REDIS_CLUSTER_NODES: '10.0.0.1:7000, 10.0.0.2:7001,redis-3' });
      expect(plain.storage).toBe('postgres+redis');
      expect(plain.redisUrl).toBeUndefined();
      expect(plain.redisCluster).toEqual({
        nodes: [
          { host: '10.0.0.1', port: 7000 },
          { host: '10.0.0.2', port: 7001 },
          { host: 'redis-3', port: 6379 },
        ],
        username: undefined,
        password: undefined,
        tls: false,
      });
      const secure = loadConfig({ ...base, REDIS_CLUSTER_NODES: 'rediss://app:s%40cret@a.example:6380,b.example:6380,[::1]:7002' });
      expect(secure.redisCluster).toEqual({
        nodes: [
          { host: 'a.example', port: 6380 },
          { host: 'b.example', port: 6380 },
          { host: '::1', port: 7002 },
        ],
        username: 'app',
        password: 's@cret',
        tls: true,
      });
    });

    it.each([
      [{ REDIS_URL: 'redis://127.0.0.1:6379', REDIS_CLUSTER_NODES: 'a:1' }, 'REDIS_CLUSTER_NODES', /not both/],
      [{ REDIS_CLUSTER_NODES: 'a:1,,b:2' }, 'REDIS_CLUSTER_NODES', /empty entry/],
      [{ REDIS_CLUSTER_NODES: 'a:notaport' }, 'REDIS_CLUSTER_NODES', /entry 1 is not host:port/],
      [{ REDIS_CLUSTER_NODES: 'http://a:1' }, 'REDIS_CLUSTER_NODES', /entry 1 must start with redis/],
      [{ REDIS_CLUSTER_NODES: 'redis://a:1/2' }, 'REDIS_CLUSTER_NODES', /only database 0/],
      [{ REDIS_CLUSTER_NODES: 'redis://a:1,rediss://b:1' }, 'REDIS_CLUSTER_NODES', /mixes redis/],
      [{ REDIS_CLUSTER_NODES: 'redis://:pw-alpha-1@a:1,redis://:pw-beta-2@b:1' }, 'REDIS_CLUSTER_NODES', /different credentials/],
      [{ REDIS_CLUSTER_NODES: 'a:1', QUEUE_PREFIX: 'civicpost' }, 'QUEUE_PREFIX', /hash tag/],
      [{ REDIS_CLUSTER_NODES: 'a:1', QUEUE_PREFIX: '{}civicpost' }, 'QUEUE_PREFIX', /hash tag/],
    ])('refuses %j naming %s', (env, variable, message) => {
      const err = problem({ ...base, ...env });
      expect(err.variable).toBe(variable);
      expect(err.problem).toMatch(message);
      expect(err.message).not.toMatch(/pw-alpha|pw-beta/);
    });

    it('needs DATABASE_URL, like REDIS_URL', () => {
      expect(problem({ REDIS_CLUSTER_NODES: 'a:1' }).variable).toBe('REDIS_CLUSTER_NODES');
    });

    it('accepts any prefix on one Redis, as before', () => {
      expect(loadConfig({ ...base, REDIS_URL: 'redis://127.0.0.1:6379', QUEUE_PREFIX: 'civicpost' }).queuePrefix).toBe('civicpost');
    });

    it('knows a hash tag as Redis does: the first {, the next }, something between', () => {
      expect(hasHashTag('{civicpost}')).toBe(true);
      expect(hasHashTag('app:{cpt-1a2b}')).toBe(true);
      expect(hasHashTag('{}{civicpost}')).toBe(false);
      expect(hasHashTag('civicpost}')).toBe(false);
      expect(hasHashTag('{civicpost')).toBe(false);
    });
  });
});
