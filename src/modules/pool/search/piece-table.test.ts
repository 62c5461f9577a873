import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PieceTable } from './piece-table.ts';

const termsOf = (table: PieceTable, e: number) => [...table.termIds.subarray(table.start(e), table.start(e) + table.count(e))];

describe('PieceTable', () => {
  it('finds a piece by its range of a longer text, with the term ids it was added with', () => {
    const table = new PieceTable(100);
    const e = table.add('充电宝', [7, 9]);
    expect(table.find('罗马仕 充电宝 大容量', 4, 7)).toBe(e);
    expect(termsOf(table, e)).toEqual([7, 9]);
    expect(table.find('罗马仕 充电宝 大容量', 0, 3)).toBe(-1);
    expect(table.find('充电', 0, 2)).toBe(-1);
  });

  it('answers as a Map of the sliced pieces would, through growth and forgetting everything at its limit', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string({ maxLength: 6 }), fc.array(fc.nat(1000), { maxLength: 5 })), { maxLength: 400 }), fc.integer({ min: 1, max: 300 }), (entries, limit) => {
        const table = new PieceTable(limit);
        const model = new Map<string, number[]>();
        for (const [piece, ids] of entries) {
          const text = `前${piece}后`;
          const e = table.find(text, 1, 1 + piece.length);
          if (model.has(piece)) {
            expect(e).toBeGreaterThanOrEqual(0);
            expect(termsOf(table, e)).toEqual(model.get(piece));
            continue;
          }
          expect(e).toBe(-1);
          if (model.size >= limit) model.clear();
          model.set(piece, ids);
          expect(termsOf(table, table.add(piece, ids))).toEqual(ids);
        }
        expect(table.size).toBe(model.size);
      }),
      { numRuns: 200 },
    );
  });
});
