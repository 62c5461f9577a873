import { describe, expect, it } from 'vitest';
import en from './en.json';
import zh from './zh.json';

function keysOf(node: object, prefix = ''): string[] {
  return Object.entries(node).flatMap(([key, value]) =>
    typeof value === 'object' && value !== null ? keysOf(value as object, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}

describe('translation catalogues', () => {
  it('have the same keys in Chinese and English', () => {
    expect(keysOf(en).sort()).toEqual(keysOf(zh).sort());
  });

  it('leave no string empty', () => {
    const empty = (catalogue: object) =>
      keysOf(catalogue).filter((key) => key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], catalogue) === '');
    expect(empty(zh)).toEqual([]);
    expect(empty(en)).toEqual([]);
  });
});
