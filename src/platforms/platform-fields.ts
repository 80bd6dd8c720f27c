import type { PlatformField } from '#src/platforms/platform-descriptor.js';

/** A credential typed into a password field: never shown again. */
export const secretField = (key: string, label: string, hint?: string, required = true): PlatformField => ({
  group: 'credentials',
  key,
  label,
  hint,
  type: 'password',
  secret: true,
  required,
  autocomplete: 'off',
});
