/**
 * The address if it is a web page (https: or http:, or a path on this site such as the sandbox
 * feed's `/sandbox/…`), else null. Links that platforms return, or that a person types, are shown
 * and stored only through this: a `javascript:` or `data:` link never reaches a page, the public
 * report or its JSON.
 */
export function webLink(url: string | null | undefined): string | null {
  if (!url) return null;
  // A path of this site; `//host` and `/\host` would leave it.
  if (/^\/(?![/\\])/.test(url)) return url;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.toString() : null;
  } catch {
    return null;
  }
}
