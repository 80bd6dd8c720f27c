/**
 * LinkedIn's "little text" format of a post's `commentary`: `\ | { } @ [ ] ( ) < > # * _ ~` are reserved
 * and must be escaped with a backslash to be plain text; LinkedIn cuts the post at the first unescaped one
 * it cannot parse. Sources: learn.microsoft.com/linkedin/marketing/community-management/shares/little-text-format
 * (the list is on its "Text" section); the same list in apoorvdarshan/crossposter v1.1.5 and @linkedctl/core.
 */
const RESERVED = /[\\|{}@[\]()<>#*_~]/g;

/**
 * A hashtag (`#` followed by a letter or digit) stays a HashtagElement so it is still a link; every other
 * reserved character, `#` included, is escaped. Characters inside the hashtag word are escaped as usual.
 */
export function escapeLittleText(text: string): string {
  return text.replace(RESERVED, (ch, offset: number) => {
    if (ch === '#' && /^[\p{L}\p{N}]/u.test(text.slice(offset + 1, offset + 3))) return ch;
    return `\\${ch}`;
  });
}

/**
 * The plain text of a stored commentary, for comparing with what was sent: LinkedIn gives hashtags back as
 * the template `{hashtag|\#|word}` and mentions as `@[Name](urn:li:...)`; escapes are removed.
 */
export function unescapeLittleText(commentary: string): string {
  return commentary
    .replace(/\{hashtag\|\\?#\|((?:\\.|[^}])*)\}/g, (_, word: string) => `#${word}`)
    .replace(/@\[((?:\\.|[^\]])*)\]\((urn:li:[^)]+)\)/g, (_, name: string) => name)
    .replace(/\\([\\|{}@[\]()<>#*_~])/g, '$1');
}
