import type { ShowcaseItem } from '../../lib/types';

type Ordered = Pick<ShowcaseItem, 'id' | 'pinned' | 'position'>;

/** Showcase order, as the server keeps it: pinned first, then by position, then by id. */
export function compareItems(a: Ordered, b: Ordered): number {
  if (a.pinned !== b.pinned) return a.pinned ? -1 : 1;
  if (a.position !== b.position) return a.position - b.position;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Whether the item at `index` can move one place by `delta` (±1): never across the line between pinned and the rest. */
export function canMove<T extends Ordered>(items: readonly T[], index: number, delta: -1 | 1): boolean {
  const item = items[index];
  const neighbour = items[index + delta];
  return item !== undefined && neighbour !== undefined && neighbour.pinned === item.pinned;
}

/** The list with the item at `index` swapped with its neighbour (unchanged when it cannot move). */
export function moved<T extends Ordered>(items: readonly T[], index: number, delta: -1 | 1): T[] {
  const next = [...items];
  if (!canMove(items, index, delta)) return next;
  [next[index], next[index + delta]] = [next[index + delta]!, next[index]!];
  return next;
}

/**
 * The list with `dragId` dropped before or after `targetId`. Pinned items stay first: an item
 * dropped among the other group lands at the nearest end of its own.
 */
export function dropped<T extends Ordered>(items: readonly T[], dragId: string, targetId: string, after: boolean): T[] {
  const dragged = items.find((item) => item.id === dragId);
  if (!dragged || dragId === targetId) return [...items];
  const rest = items.filter((item) => item.id !== dragId);
  const at = rest.findIndex((item) => item.id === targetId);
  if (at < 0) return [...items];
  rest.splice(after ? at + 1 : at, 0, dragged);
  // A stable sort by group only: the order within each group is the one just made.
  return rest.map((item, i) => ({ item, i })).sort((a, b) => Number(b.item.pinned) - Number(a.item.pinned) || a.i - b.i).map(({ item }) => item);
}

/** The positions the server will give after a reorder, so the list sorts right before it answers. */
export function renumbered<T extends Ordered>(items: readonly T[]): T[] {
  return items.map((item, position) => ({ ...item, position }));
}
