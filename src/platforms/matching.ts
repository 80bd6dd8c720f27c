/**
 * Reconciling without an idempotency key means finding our post among the account's recent ones by
 * its text. Platforms normalise what they store (Unicode form, line endings, trailing blanks), so
 * compare the normalised forms.
 */
export function normalizeText(text: string): string {
  return text
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+\n/g, '\n')
    .trim();
}

export function sameText(a: string, b: string): boolean {
  return normalizeText(a) === normalizeText(b);
}
