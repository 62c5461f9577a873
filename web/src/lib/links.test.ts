import { describe, expect, it } from 'vitest';
import { absoluteUrl, linkQrPath, publicShowcasePath, publicShowcaseQrPath } from './links';

describe('link addresses', () => {
  it('makes a server path absolute on the given origin and keeps absolute ones', () => {
    expect(absoluteUrl('/r/AbC123', 'https://v.example')).toBe('https://v.example/r/AbC123');
    expect(absoluteUrl('r/AbC123', 'https://v.example')).toBe('https://v.example/r/AbC123');
    expect(absoluteUrl('https://short.example/x', 'https://v.example')).toBe('https://short.example/x');
  });

  it('names the QR codes of links and of the public page', () => {
    expect(linkQrPath('AbC123')).toBe('/r/AbC123/qr.svg');
    expect(publicShowcasePath('wang_yi')).toBe('/s/wang_yi');
    expect(publicShowcaseQrPath('wang_yi')).toBe('/s/wang_yi/qr.svg');
  });
});
