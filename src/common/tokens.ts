/** Injection token of the resolved Storage (see storage/storage.ts). */
export const STORAGE = Symbol('STORAGE');
