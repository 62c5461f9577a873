import { EventEmitter } from 'node:events';

/** A creator's position ids at a source were recorded or removed (`sourceId` null: one recorded for no source). */
export interface PositionsChanged {
  creatorId: string;
  sourceId: string | null;
}

/**
 * What one module tells the others that keep its data in memory on this node, so a change shows
 * at once instead of after their cache's TTL: positions (orders) are read into the redirect's
 * link targets (a Taobao relationId) and promotion URLs (a PDD/JD 推广位) by links. Another node
 * of a deployment still sees the change within that TTL.
 */
export class Changes {
  readonly #emitter = new EventEmitter();

  positionsChanged(change: PositionsChanged): void {
    this.#emitter.emit('positions', change);
  }

  onPositionsChanged(listener: (change: PositionsChanged) => void): void {
    this.#emitter.on('positions', listener);
  }
}
