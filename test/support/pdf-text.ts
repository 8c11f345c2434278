import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A PDF's text, page by page and line by line (cells of a table row joined by " | "), extracted by pdfjs-dist. */
export function pdfLines(pdf: Buffer): string[][] {
  const dir = mkdtempSync(join(tmpdir(), 'pdf-text-'));
  try {
    const file = join(dir, 'document.pdf');
    writeFileSync(file, pdf);
    const out = execFileSync(process.execPath, [join(__dirname, 'extract-pdf-text.mjs'), file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NODE_OPTIONS: '' } });
    return JSON.parse(out) as string[][];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
