import 'reflect-metadata';
import { jest } from '@jest/globals';
import { Clock } from '#src/common/clock.js';
import type { DomainError } from '#src/common/domain-error.js';
import { APP_CONFIG, loadConfig, type AppConfig } from '#src/config/config.js';
import { Tx } from '#src/storage/tx.js';

/** A class, abstract or not, whatever its constructor takes. */
export type Class<T = unknown> = abstract new (...args: any[]) => T;

/** A mock made from a real class: every method of its prototype chain is a jest.fn. */
export type Mocked<T extends object> = jest.Mocked<T>;

/**
 * An automock of `cls`: each prototype method (own and inherited) becomes a jest.fn named
 * `Class.method`, answering undefined until a test says otherwise. A getter throws when read, so a
 * service reading one (as `tx.manager`) fails loudly instead of touching a database; a test that
 * means it to be read redefines it (Object.defineProperty: the property is configurable).
 */
export function automock<T extends object>(cls: Class<T>): Mocked<T> {
  const mock: Record<string, unknown> = {};
  for (let proto = cls.prototype as object | null; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (name === 'constructor' || name in mock) continue;
      const d = Object.getOwnPropertyDescriptor(proto, name)!;
      if (typeof d.value === 'function') mock[name] = jest.fn().mockName(`${cls.name}.${name}`);
      else if (d.get)
        Object.defineProperty(mock, name, {
          configurable: true,
          get: () => {
            throw new Error(
              `${cls.name}.${name} is not available in a unit test (it reaches storage): mock what the service calls instead`,
            );
          },
        });
    }
  }
  return mock as Mocked<T>;
}

/** The instant a unit test's Clock reads unless it sets one: a fixed Monday morning, never the wall clock. */
export const UNIT_NOW = new Date('2026-06-15T08:00:00.000Z');

/** A Tx whose run() calls the work directly: no database, and nesting behaves as the real one does. */
export function passThroughTx(): Mocked<Tx> {
  const tx = automock(Tx);
  tx.run.mockImplementation((work) => work());
  return tx;
}

/** The DomainError a call fails with, as the HTTP surface would answer it: status, code, message and details. */
export async function refusal(call: Promise<unknown>): Promise<{ status: number; code: string; message: string; details?: unknown }> {
  const err = (await call.then(
    () => {
      throw new Error('expected the call to be refused');
    },
    (e: unknown) => e,
  )) as DomainError;
  return { status: err.getStatus(), ...(err.getResponse() as { code: string; message: string; details?: unknown }) };
}

/** A Clock reading `at` on every call (a new Date each time, so a caller cannot change the next reading). */
export function fixedClock(at: Date = UNIT_NOW): Mocked<Clock> {
  const clock = automock(Clock);
  clock.now.mockImplementation(() => new Date(at.getTime()));
  return clock;
}

export interface TestServiceOptions {
  /** Real (or hand-made) instances to use for these classes instead of automocks. */
  use?: Array<[Class, unknown]>;
  /** Values for injection tokens (`@Inject(TOKEN)`, `@InjectQueue(...)`), by token. APP_CONFIG defaults to loadConfig({}). */
  tokens?: Array<[unknown, unknown]>;
  /** Changes to the default configuration (APP_CONFIG), merged one level deep. */
  config?: { [K in keyof AppConfig]?: Partial<AppConfig[K]> };
  /** What the Clock reads; UNIT_NOW by default. */
  now?: Date;
}

export interface TestService<S extends object> {
  sut: S;
  /** The automock standing for a dependency class, typed from the real class. */
  mock<T extends object>(cls: Class<T>): Mocked<T>;
  clock: Mocked<Clock>;
  tx: Mocked<Tx>;
  config: AppConfig;
}

/**
 * Builds `Service` as Nest would, from the constructor's decorator metadata, with every dependency
 * an automock of its real class (so a test sets only what its rule reads, and a renamed method breaks
 * the test's types). `Tx` runs the work directly, `Clock` reads a fixed instant, APP_CONFIG is the
 * default configuration. A parameter with no class (an `@Inject` token, a queue) needs `tokens`;
 * leaving it out throws, naming the service and the token.
 */
export function newTestService<S extends object>(Service: Class<S>, options: TestServiceOptions = {}): TestService<S> {
  const types = (Reflect.getMetadata('design:paramtypes', Service) ?? []) as Array<Class | undefined>;
  // Nest's record of @Inject(token) per constructor parameter.
  const injected = (Reflect.getMetadata('self:paramtypes', Service) ?? []) as Array<{ index: number; param: unknown }>;
  const config = withConfig(loadConfig({}), options.config);
  const tokens = new Map<unknown, unknown>([[APP_CONFIG, config], ...(options.tokens ?? [])]);
  const clock = fixedClock(options.now);
  const tx = passThroughTx();
  const instances = new Map<Class, unknown>([[Clock, clock], [Tx, tx], ...(options.use ?? [])]);

  const args = types.map((type, index) => {
    const token = injected.find((i) => i.index === index)?.param;
    if (token !== undefined) {
      if (typeof token === 'function') return instanceOf(token as Class, instances);
      if (!tokens.has(token))
        throw new Error(`${Service.name}: constructor parameter ${index} is injected as ${String(token)}; give it in tokens`);
      return tokens.get(token);
    }
    if (!type || type === Object)
      throw new Error(`${Service.name}: constructor parameter ${index} has no class to mock; give it in tokens`);
    return instanceOf(type, instances);
  });
  const sut = new (Service as new (...a: unknown[]) => S)(...args);
  return {
    sut,
    clock,
    tx,
    config,
    mock<T extends object>(cls: Class<T>): Mocked<T> {
      if (!instances.has(cls)) throw new Error(`${Service.name} does not take a ${cls.name}`);
      return instances.get(cls) as Mocked<T>;
    },
  };
}

function instanceOf(cls: Class, instances: Map<Class, unknown>): unknown {
  if (!instances.has(cls)) instances.set(cls, automock(cls as Class<object>));
  return instances.get(cls);
}

function withConfig(base: AppConfig, changes: TestServiceOptions['config'] = {}): AppConfig {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(changes)) {
    const current = merged[key];
    merged[key] = current && typeof current === 'object' && !Array.isArray(current) ? { ...current, ...(value as object) } : value;
  }
  return merged as unknown as AppConfig;
}
