import type { LinkChannel } from './types';

/** The channels a creator can make another link for, in the order the form offers them. */
export const NEW_LINK_CHANNELS = ['video', 'live', 'group', 'other'] as const satisfies readonly LinkChannel[];

/** A server path ("/r/AbC123") as the address a shopper opens; absolute ones are kept. */
export function absoluteUrl(path: string, origin: string = window.location.origin): string {
  return /^https?:\/\//i.test(path) ? path : `${origin}${path.startsWith('/') ? '' : '/'}${path}`;
}

/** The QR code of a tracked link, drawn by the server. */
export function linkQrPath(code: string): string {
  return `/r/${encodeURIComponent(code)}/qr.svg`;
}

/** A creator's public showcase page, and its QR code. */
export function publicShowcasePath(handle: string): string {
  return `/s/${encodeURIComponent(handle)}`;
}

export function publicShowcaseQrPath(handle: string): string {
  return `${publicShowcasePath(handle)}/qr.svg`;
}
