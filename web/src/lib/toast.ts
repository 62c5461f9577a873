import { useSyncExternalStore } from 'react';

/** Short confirmations at the edge of the screen ("已加入橱窗 · 查看橱窗"), gone by themselves after a few seconds. */

export interface Toast {
  id: number;
  message: string;
  link?: { href: string; text: string };
}

const SHOWN_MS = 5_000;
const MOST = 3;

let toasts: readonly Toast[] = [];
let nextId = 1;
const listeners = new Set<() => void>();

function publish(next: readonly Toast[]): void {
  toasts = next;
  for (const listener of listeners) listener();
}

export function showToast(toast: Omit<Toast, 'id'>): void {
  const id = nextId++;
  publish([...toasts, { ...toast, id }].slice(-MOST));
  window.setTimeout(() => dismissToast(id), SHOWN_MS);
}

export function dismissToast(id: number): void {
  if (toasts.some((toast) => toast.id === id)) publish(toasts.filter((toast) => toast.id !== id));
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useToasts(): readonly Toast[] {
  return useSyncExternalStore(subscribe, () => toasts);
}
