import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/**
 * The text a PDF shows, as Mozilla's PDF.js reads it (embedded fonts and their Unicode maps
 * included), as flowing text: a line break is a space, or nothing after a hyphen where a line
 * was wrapped, so that a phrase can be looked for wherever the layout broke it.
 */
export async function pdfText(pdf: Buffer): Promise<string> {
  const doc = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false, isEvalSupported: false }).promise;
  const pages: string[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const content = await (await doc.getPage(n)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : '')).join(''));
  }
  await doc.destroy();
  return pages.join('\n').replace(/-\n/g, '-').replace(/\s+/g, ' ');
}
