/** Another locale's catalog of an area: every key of the English one, each an ICU message. */
export type Translations<T> = { readonly [K in keyof T]: string };
