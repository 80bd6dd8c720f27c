import type { Translations } from '#src/web/i18n/catalog.js';

export const en = {} as const;

export const ro: Translations<typeof en> = {};
