import { createReadStream, statSync } from 'node:fs';
import { InvalidInput } from '../core/errors.ts';
import type { ImportMode } from '../db/schema.ts';
import { importProducts } from '../modules/pool/import.ts';
import { defaultModeOf, IMPORT_FORMATS, isImportFormat, parseImport } from '../modules/sources/formats.ts';
import { findSource } from '../modules/sources/service.ts';
import { printResult, withDb } from './context.ts';

/** Counts bytes as they stream past, for the progress line. */
async function* counted(input: AsyncIterable<Buffer>, onBytes: (n: number) => void): AsyncGenerator<Buffer> {
  for await (const chunk of input) {
    onBytes(chunk.length);
    yield chunk;
  }
}

export async function importCommand(file: string, options: { source: string; format: string; mode?: string }): Promise<void> {
  if (!isImportFormat(options.format)) throw new InvalidInput('invalid_format', `--format must be one of ${IMPORT_FORMATS.join(', ')}`);
  if (options.mode !== undefined && options.mode !== 'full' && options.mode !== 'incremental') throw new InvalidInput('invalid_mode', '--mode is full or incremental');
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new InvalidInput('file_not_found', `cannot read ${file}`);
  }
  const format = options.format;
  await withDb(async (db) => {
    const source = await findSource(db.kysely, options.source);
    let bytes = 0;
    const showProgress = process.stderr.isTTY || size > 10 * 1024 * 1024;
    const progress = (rows: number) => {
      if (!showProgress) return;
      const percent = size === 0 ? 100 : Math.min(100, Math.floor((bytes * 100) / size));
      const bar = '#'.repeat(Math.floor(percent / 4)).padEnd(25, '.');
      process.stderr.write(`\r[${bar}] ${String(percent).padStart(3)}%  ${rows.toLocaleString('en')} rows`);
    };
    const input = counted(createReadStream(file, { highWaterMark: 256 * 1024 }), (n) => (bytes += n));
    const report = await importProducts(db.kysely, parseImport(format, input), {
      source,
      format,
      mode: (options.mode as ImportMode | undefined) ?? defaultModeOf(format),
      onProgress: progress,
    });
    if (showProgress) process.stderr.write('\n');
    printResult({ imported: report.imported, updated: report.updated, offline: report.offline, rejected: report.rejected, import_id: report.importId });
  });
}
