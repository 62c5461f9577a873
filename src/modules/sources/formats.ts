import { InvalidInput } from '../../core/errors.ts';
import type { ImportMode } from '../../db/schema.ts';
import type { ParsedRow } from '../pool/model.ts';
import { parseJdGoodsQuery } from './connectors/jd.ts';
import { parsePddGoodsSearch } from './connectors/pdd.ts';
import { parseTaobaoMaterialOptional } from './connectors/taobao.ts';
import { FEED_FORMATS, parseFeed } from './feeds/index.ts';

/** Saved responses of the platform APIs: a page of search results, not a whole catalogue. */
export const PLATFORM_RESPONSE_FORMATS = ['pdd-goods-search', 'jd-goods-query', 'taobao-material-optional'] as const;
export const IMPORT_FORMATS = [...PLATFORM_RESPONSE_FORMATS, ...FEED_FORMATS] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

const RESPONSE_PARSERS: Record<(typeof PLATFORM_RESPONSE_FORMATS)[number], (json: unknown) => ParsedRow[]> = {
  'pdd-goods-search': parsePddGoodsSearch,
  'jd-goods-query': parseJdGoodsQuery,
  'taobao-material-optional': parseTaobaoMaterialOptional,
};

export function isImportFormat(value: string): value is ImportFormat {
  return (IMPORT_FORMATS as readonly string[]).includes(value);
}

/**
 * A feed describes the merchant's whole catalogue, so by default it is a full sync (what it does
 * not list goes offline); a saved platform response is one page of results, so incremental.
 */
export function defaultModeOf(format: ImportFormat): ImportMode {
  return (PLATFORM_RESPONSE_FORMATS as readonly string[]).includes(format) ? 'incremental' : 'full';
}

/** The rows of an import file, parsed by its format, as a stream. */
export async function* parseImport(format: ImportFormat, input: AsyncIterable<Buffer | string>): AsyncGenerator<ParsedRow> {
  if (format in RESPONSE_PARSERS) {
    const chunks: Buffer[] = [];
    for await (const chunk of input) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    let json: unknown;
    try {
      json = JSON.parse(Buffer.concat(chunks).toString('utf8').replace(/^\uFEFF/, ''));
    } catch {
      throw new InvalidInput('malformed_file', `the ${format} file is not valid JSON`);
    }
    let rows: ParsedRow[];
    try {
      rows = RESPONSE_PARSERS[format as keyof typeof RESPONSE_PARSERS](json);
    } catch (error) {
      throw new InvalidInput('malformed_file', error instanceof Error ? error.message : String(error));
    }
    yield* rows;
    return;
  }
  try {
    yield* parseFeed(format as (typeof FEED_FORMATS)[number], input);
  } catch (error) {
    if (error instanceof InvalidInput) throw error;
    throw new InvalidInput('malformed_file', error instanceof Error ? error.message : String(error));
  }
}
