import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Test helpers that run the real `vitrine` binary in a child process (for kill -9 tests). */
export const VITRINE_BIN = fileURLToPath(new URL('../../bin/vitrine.mjs', import.meta.url));

/** Runs a command to its end; resolves with the JSON object of its last stdout line. */
export function runVitrine(databaseUrl: string, args: string[], env: Record<string, string> = {}): Promise<any> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [VITRINE_BIN, ...args], { env: { ...process.env, DATABASE_URL: databaseUrl, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(stdout.trim().split('\n').pop()!)) : reject(new Error(`vitrine ${args.join(' ')}: ${stderr}`))));
  });
}

/** Starts a command without waiting for it (to kill it midway). */
export function startVitrine(databaseUrl: string, args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [VITRINE_BIN, ...args], { env: { ...process.env, DATABASE_URL: databaseUrl, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The real server in a child process; resolves with its URL once it listens. */
export function serveVitrine(databaseUrl: string, env: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = startVitrine(databaseUrl, ['serve', '--port', '0', '--no-demo'], { HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env });
    let stderr = '';
    child.stderr!.on('data', (d) => {
      stderr += d;
      const port = /serving http:\/\/[^:]+:(\d+)/.exec(stderr)?.[1];
      if (port) resolve({ child, url: `http://127.0.0.1:${port}` });
    });
    child.on('exit', (code) => reject(new Error(`server exited (${code}) before listening: ${stderr}`)));
  });
}
