/**
 * Prints a PDF's text as JSON: one array per page, each a list of lines (text items on the
 * same baseline joined left to right with " | " between items that are apart). Run by
 * test/support/pdf-text.ts in a child process, because pdfjs-dist is an ES module.
 *
 *   node test/support/extract-pdf-text.mjs <file.pdf>
 */
import { readFileSync } from 'node:fs';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

const data = new Uint8Array(readFileSync(process.argv[2]));
const pdf = await getDocument({ data, useSystemFonts: false, isEvalSupported: false, verbosity: 0 }).promise;
const pages = [];
for (let n = 1; n <= pdf.numPages; n += 1) {
  const page = await pdf.getPage(n);
  const content = await page.getTextContent();
  const rows = new Map();
  for (const item of content.items) {
    if (!('str' in item) || item.str === '') continue;
    const y = Math.round(item.transform[5]);
    const row = rows.get(y) ?? [];
    row.push({ x: item.transform[4], width: item.width, text: item.str });
    rows.set(y, row);
  }
  const lines = [...rows.entries()]
    .sort((a, b) => b[0] - a[0])
    .map(([, items]) => {
      items.sort((a, b) => a.x - b.x);
      let line = '';
      let end = null;
      for (const item of items) {
        if (end !== null) line += item.x - end > 6 ? ' | ' : item.x - end > 0.5 ? ' ' : '';
        line += item.text;
        end = item.x + item.width;
      }
      return line;
    });
  pages.push(lines);
}
process.stdout.write(JSON.stringify(pages));
