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
  private readonly filter: Record<FilterField, Map<string, TermPostings>> = { platform: new Map(), source: new Map(), category: new Map(), coupon: new Map() };
  private readonly byChar = new Map<string, TermPostings[]>();

  textTerm(term: string): TermPostings {
    let postings = this.text.get(term);
    if (postings === undefined) {
      postings = new TermPostings(this.all.length, term, true);
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
    const values = this.filter[field];
    let postings = values.get(value);
    if (postings === undefined) {
      postings = new TermPostings(this.all.length, `${field}:${value}`, false);
      values.set(value, postings);
      this.all.push(postings);
    }
    return postings;
  }

  findText(term: string): TermPostings | undefined {
    return this.text.get(term);
  }

  findFilter(field: FilterField, value: string): TermPostings | undefined {
    return this.filter[field].get(value);
  }

  /** Text terms containing the Chinese character `ch` (itself included, if it is a term). */
  containingChar(ch: string): readonly TermPostings[] {
    return this.byChar.get(ch) ?? [];
  }
}

export type FilterField = 'platform' | 'source' | 'category' | 'coupon';
