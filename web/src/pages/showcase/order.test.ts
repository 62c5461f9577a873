import { describe, expect, it } from 'vitest';
import { canMove, compareItems, dropped, moved, renumbered } from './order';

const item = (id: string, position: number, pinned = false) => ({ id, position, pinned });
const ids = (items: { id: string }[]) => items.map((i) => i.id);

describe('showcase order', () => {
  it('sorts pinned first, then by position, then by id', () => {
    const items = [item('c', 0), item('b', 2, true), item('a', 1), item('d', 0)];
    expect(ids([...items].sort(compareItems))).toEqual(['b', 'c', 'd', 'a']);
  });

  it('moves an item up or down, but never across the pinned line', () => {
    const items = [item('p', 0, true), item('a', 1), item('b', 2), item('c', 3)];
    expect(canMove(items, 1, -1)).toBe(false);
    expect(canMove(items, 0, -1)).toBe(false);
    expect(canMove(items, 3, 1)).toBe(false);
    expect(ids(moved(items, 3, -1))).toEqual(['p', 'a', 'c', 'b']);
    expect(ids(moved(items, 1, -1))).toEqual(['p', 'a', 'b', 'c']);
  });

  it('drops before or after a target, keeping pinned items first', () => {
    const items = [item('p', 0, true), item('a', 1), item('b', 2), item('c', 3)];
    expect(ids(dropped(items, 'c', 'a', false))).toEqual(['p', 'c', 'a', 'b']);
    expect(ids(dropped(items, 'a', 'c', true))).toEqual(['p', 'b', 'c', 'a']);
    expect(ids(dropped(items, 'c', 'p', false))).toEqual(['p', 'c', 'a', 'b']);
    expect(ids(dropped(items, 'p', 'c', true))).toEqual(['p', 'a', 'b', 'c']);
    expect(ids(dropped(items, 'a', 'a', true))).toEqual(['p', 'a', 'b', 'c']);
  });

  it('renumbers positions in list order', () => {
    expect(renumbered([item('b', 5), item('a', 1)]).map((i) => i.position)).toEqual([0, 1]);
  });
});
