#!/usr/bin/env node
/**
 * Builds native/walbuffer.c, the SQLite extension that writes a commit's WAL frames in a few system
 * calls (see src/db/walbuffer.ts), against the SQLite headers better-sqlite3 ships, into
 * build/walbuffer.so (.dylib on macOS). Run by `npm install` (postinstall). Without a C compiler
 * (`cc`, or $CC) it says so and leaves the library out: SQLite then writes its WAL as it always
 * does, a little slower, and everything else is the same.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const output = join(root, 'build', process.platform === 'darwin' ? 'walbuffer.dylib' : 'walbuffer.so');
if (process.platform === 'win32') {
  console.log('walbuffer: not built on Windows; SQLite writes its WAL unbuffered');
  process.exit(0);
}
let headers;
try {
  headers = join(dirname(createRequire(import.meta.url).resolve('better-sqlite3/package.json')), 'deps', 'sqlite3');
} catch {
  console.log('walbuffer: better-sqlite3 is not installed; not built');
  process.exit(0);
}
mkdirSync(dirname(output), { recursive: true });
const compiler = process.env.CC || 'cc';
const flags = ['-O2', '-fPIC', '-Wall', ...(process.platform === 'darwin' ? ['-dynamiclib', '-undefined', 'dynamic_lookup'] : ['-shared'])];
const result = spawnSync(compiler, [...flags, '-I', headers, '-o', output, join(root, 'native', 'walbuffer.c')], { stdio: ['ignore', 'inherit', 'inherit'] });
if (result.status !== 0) {
  console.log(`walbuffer: ${compiler} failed${result.error ? ` (${result.error.message})` : ''}; SQLite writes its WAL unbuffered`);
  process.exit(0);
}
console.log(`walbuffer: built ${output}`);
