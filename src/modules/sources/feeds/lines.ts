import { StringDecoder } from 'node:string_decoder';

/** A line longer than this is not kept (it could be the whole input without a newline). */
export const MAX_LINE_CHARS = 1 << 20;

/** One line of text without its line ending, or `null` for a line longer than the limit. */
export type Line = string | null;

/**
 * Splits a byte or text stream into lines (LF or CRLF), decoding UTF-8 across chunk boundaries and
 * dropping a leading BOM. Holds at most one line (bounded by `maxChars`) besides the current chunk.
 */
export async function* linesOf(input: AsyncIterable<Buffer | string>, maxChars = MAX_LINE_CHARS): AsyncGenerator<Line> {
  const decoder = new StringDecoder('utf8');
  const splitter = new LineSplitter(maxChars);
  for await (const chunk of input) yield* splitter.push(typeof chunk === 'string' ? chunk : decoder.write(chunk));
  yield* splitter.push(decoder.end());
  yield* splitter.end();
}

class LineSplitter {
  private pending = '';
  private tooLong = false;
  private atStart = true;

  constructor(private readonly maxChars: number) {}

  *push(text: string): Generator<Line> {
    if (this.atStart && text !== '') {
      this.atStart = false;
      text = text.replace(/^\uFEFF/, '');
    }
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      yield this.take(text.slice(start, nl));
      start = nl + 1;
    }
    this.keep(text.slice(start));
  }

  *end(): Generator<Line> {
    if (this.pending !== '' || this.tooLong) yield this.take('');
  }

  private take(rest: string): Line {
    const line = this.tooLong || this.pending.length + rest.length > this.maxChars ? null : (this.pending + rest).replace(/\r$/, '');
    this.pending = '';
    this.tooLong = false;
    return line;
  }

  private keep(rest: string): void {
    if (this.tooLong) return;
    if (this.pending.length + rest.length > this.maxChars) {
      this.tooLong = true;
      this.pending = '';
    } else {
      this.pending += rest;
    }
  }
}
