#!/usr/bin/env -S node --max-semi-space-size=64
// --max-semi-space-size=64: young generation semi-spaces of 64 MiB (Node's default is 16). Order
// ingestion allocates some 15 KiB per event that lives until its delivery commits; with small
// semi-spaces most of it was scavenged, copied and promoted first (docs/decisions.md).
// Entry point for `vitrine` and `npm start`: runs the TypeScript sources through tsx,
// so there is no build step between a clone and a running server.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
