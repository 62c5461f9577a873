#!/usr/bin/env node
// Entry point for `vitrine` and `npm start`: runs the TypeScript sources through tsx,
// so there is no build step between a clone and a running server.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
