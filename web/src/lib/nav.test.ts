import { describe, expect, it } from 'vitest';
import { mayOpen, navLabelKey } from './nav';

describe('who may open which route', () => {
  it('gives plans to those who ask for them (creator, org) and those who decide them (merchant, operator)', () => {
    for (const role of ['creator', 'org', 'merchant', 'operator'] as const) expect(mayOpen(role, 'plans')).toBe(true);
    expect(navLabelKey('creator', 'plans')).toBe('nav.plans');
    expect(navLabelKey('merchant', 'plans')).toBe('nav.planApprovals');
    expect(navLabelKey('operator', 'plans')).toBe('nav.planApprovals');
  });

  it('lets every role open its menu sections and what lies under them', () => {
    expect(mayOpen('creator', 'showcase')).toBe(true);
    expect(mayOpen('creator', 'showcase/stores')).toBe(true);
    expect(mayOpen('creator', 'links')).toBe(true);
    expect(mayOpen('merchant', 'products')).toBe(true);
    expect(mayOpen('merchant', 'showcase')).toBe(false);
  });

  it('lets a creator open one source (the own shop) but not the list of sources', () => {
    expect(mayOpen('creator', 'sources/src_1')).toBe(true);
    expect(mayOpen('creator', 'sources')).toBe(false);
    expect(mayOpen('org', 'sources/src_1')).toBe(false);
  });

  it('lets every role with orders open one order, and a colonel its home (its activities) and earnings', () => {
    expect(mayOpen('operator', 'orders/ord_1')).toBe(true);
    expect(mayOpen('creator', 'orders/ord_1')).toBe(true);
    expect(mayOpen('colonel', 'home')).toBe(true);
    expect(mayOpen('colonel', 'earnings')).toBe(true);
    expect(mayOpen('colonel', 'orders')).toBe(false);
    expect(mayOpen('colonel', 'plans')).toBe(false);
    expect(mayOpen('creator', 'settlement')).toBe(false);
  });
});
