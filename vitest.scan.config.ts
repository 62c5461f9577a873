import { defineConfig } from 'vitest/config';
export default defineConfig({ test: { include: ['src/**/*.test.ts'], globalSetup: ['test/global-setup.ts'], setupFiles: ['/tmp/scan-setup.ts'], testTimeout: 60_000, hookTimeout: 120_000, pool: 'forks' } });
