import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));

// No @vitejs/plugin-react: esbuild's automatic JSX runtime is all the console needs.
export default defineConfig({
  root: webRoot,
  base: '/',
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
  },
  server: {
    // The API, and the server-drawn pages the console links to: tracked links /r/… and public showcases /s/….
    proxy: { '/api': 'http://127.0.0.1:3000', '^/(r|s)/': 'http://127.0.0.1:3000' },
  },
});
