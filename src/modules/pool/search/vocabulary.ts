import { TermPostings } from './postings.ts';

const HAN = /\p{Script=Han}/u;

/**
 * Every term the index has seen, with its postings: text terms (from title, brand, category; with
 * impacts) and filter terms (`platform`, `source`, `category` at any level, `coupon`; without).
 * Text terms are also listed under each Chinese character they contain, which is how a one-character
 * query (壳) or an unknown word finds the longer terms that contain it (手机壳). Terms are never
 * forgotten, only their postings emptied by compaction.
 */
export class Vocabulary {
  readonly all: TermPostings[] = [];
  private readonly text = new Map<string, TermPostings>();
  private readonly filter = new Map<string, TermPostings>();
  private readonly byChar = new Map<string, TermPostings[]>();

  textTerm(term: string): TermPostings {
    let postings = this.text.get(term);
    if (postings === undefined) {
      postings = new TermPostings(term, true);
      this.text.set(term, postings);
      this.all.push(postings);
      for (const ch of new Set(term)) {
        if (!HAN.test(ch)) continue;
        const list = this.byChar.get(ch);
        if (list) list.push(postings);
        else this.byChar.set(ch, [postings]);
      }
    }
    return postings;
  }

  filterTerm(field: FilterField, value: string): TermPostings {
    const key = `${field}\u0000${value}`;
    let postings = this.filter.get(key);
    if (postings === undefined) {
      postings = new TermPostings(key, false);
      this.filter.set(key, postings);
      this.all.push(postings);
    }
    return postings;
  }

  findText(term: string): TermPostings | undefined {
    return this.text.get(term);
  }

  findFilter(field: FilterField, value: string): TermPostings | undefined {
    return this.filter.get(`${field}\u0000${value}`);
  }

  /** Text terms containing the Chinese character `ch` (itself included, if it is a term). */
  containingChar(ch: string): readonly TermPostings[] {
    return this.byChar.get(ch) ?? [];
  }
}

export type FilterField = 'platform' | 'source' | 'category' | 'coupon';
