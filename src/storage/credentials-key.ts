import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { ConfigError, parseCredentialsKey, type AppConfig } from '#src/config/config.js';

/**
 * CREDENTIALS_KEY from the environment; in embedded mode, when it is not set,
 * a key kept beside the data (generated once, with a warning).
 */
export function resolveCredentialsKey(config: AppConfig, log: Logger): Buffer {
  if (config.credentialsKey) return config.credentialsKey;
  // loadConfig refuses a missing key outside embedded mode.
  const file = join(resolve(config.dataDir), 'credentials.key');
  if (!existsSync(file)) {
    writeFileSync(file, randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
    log.warn(
      { file },
      'CREDENTIALS_KEY is not set: generated a key beside the embedded data. Back it up with the data; without it, channel credentials cannot be read.',
    );
  }
  const key = parseCredentialsKey(readFileSync(file, 'utf8'));
  if (typeof key === 'string') throw new ConfigError('CREDENTIALS_KEY', `in ${file} ${key}`);
  return key;
}
