/** Staff pages are complete in these; the public transparency page also in Polish, Bosnian and Ukrainian. */
export const STAFF_LOCALES = ['en', 'ro'] as const;
export const PUBLIC_LOCALES = ['en', 'ro', 'pl', 'bs', 'uk'] as const;
export type Locale = (typeof PUBLIC_LOCALES)[number];

export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', ro: 'Română', pl: 'Polski', bs: 'Bosanski', uk: 'Українська' };
