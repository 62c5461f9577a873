import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IdTable } from './id-table.ts';

describe('IdTable', () => {
  it('finds, forgets and compacts ids as a Map of strings would', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.nat(300)), { maxLength: 3000 }), fc.boolean(), (ops, wide) => {
        const table = new IdTable();
        const want = new Map<string, number>();
        const byOrdinal: (string | null)[] = [];
        const idOf = (n: number) => (wide && n % 7 === 0 ? `商品_${n}` : `prd_${n.toString(36)}`);
        for (const [add, n] of ops) {
          const id = idOf(n);
          const o = want.get(id);
          if (o !== undefined) {
            table.remove(o);
            byOrdinal[o] = null;
            want.delete(id);
          }
          if (add) {
            want.set(id, table.push(id));
            byOrdinal.push(id);
          }
        }
        for (let n = 0; n <= 300; n++) expect(table.find(idOf(n))).toBe(want.get(idOf(n)) ?? -1);
        for (const [id, o] of want) expect(table.get(o)).toBe(id);
        const remap = Int32Array.from(byOrdinal, (id, o) => (id === null ? -1 : byOrdinal.slice(0, o).filter((x) => x !== null).length));
        table.compact(remap);
        const live = byOrdinal.filter((x): x is string => x !== null);
        live.forEach((id, o) => {
          expect(table.find(id)).toBe(o);
          expect(table.get(o)).toBe(id);
        });
      }),
      { numRuns: 60 },
    );
  });

  it('orders ids as JS strings compare', () => {
    const ids = ['prd_b', 'prd_a', 'prd_ab', 'prd_', 'Prd_z', 'prd_商', 'prd_a\u00ff'];
    const table = new IdTable();
    for (const id of ids) table.push(id);
    ids.forEach((a, i) =>
      ids.forEach((b, j) => {
        expect(table.less(i, j)).toBe(a < b);
        expect(table.atOrBefore(i, b)).toBe(a <= b);
      }),
    );
  });
});
