import { describe, expect, it } from 'vitest';
import { isIdOf, newId } from './ids.ts';

describe('ids', () => {
  it('are prefixed by kind and sort by creation order', () => {
    const ids = Array.from({ length: 1000 }, () => newId('user'));
    expect(ids.every((id) => isIdOf('user', id))).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('name their kind', () => {
    expect(newId('organisation')).toMatch(/^org_/);
    expect(newId('source')).toMatch(/^src_/);
    expect(isIdOf('source', newId('user'))).toBe(false);
  });
});
