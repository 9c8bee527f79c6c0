import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

// The build is static files only: no inline scripts or styles (the server's CSP forbids them), hashed asset
// names (cached for a year), index.html never cached.
export default defineConfig({
  root,
  plugins: [react()],
  // The one workspace library a browser may import (browser-safe by its lint tag and tsconfig): the services'
  // role/permission table and the answer shapes their OpenAPI documents do not describe yet.
  resolve: {
    alias: {
      '@stepwise/api-model': fileURLToPath(new URL('../../libs/api-model/src/index.ts', import.meta.url)),
    },
  },
  build: {
    outDir: fileURLToPath(new URL('../../dist/apps/console/public', import.meta.url)),
    emptyOutDir: true,
    assetsInlineLimit: 0,
    sourcemap: false,
    chunkSizeWarningLimit: 1024,
  },
  test: {
    root,
    include: ['src/**/*.spec.{ts,tsx}', 'scripts/**/*.spec.ts', 'server/**/*.spec.ts'],
    environment: 'happy-dom',
    setupFiles: ['vitest.setup.ts'],
    testTimeout: 60_000,
  },
});
