/// <reference types="vitest/config" />
// Vite build of the web app (web/ -> web/dist), served by `pdex serve` (static_files.h); see README.md.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { pdexAssets } from './build/pdex-assets-plugin';

const webDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(webDir, '..');

export default defineConfig({
  root: webDir,
  base: '/',
  plugins: [pdexAssets({ repoRoot, nodeModules: path.join(repoRoot, 'node_modules') })],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0, // CSP img-src allows data:, but separate files cache better
    chunkSizeWarningLimit: 200,
  },
  server: {
    // `vite` dev server during development: the API comes from a running `pdex serve` (PDEX_API_URL).
    proxy: {
      '/api': process.env.PDEX_API_URL ?? 'http://127.0.0.1:8000',
      '/metrics': process.env.PDEX_API_URL ?? 'http://127.0.0.1:8000',
      '/openapi.json': process.env.PDEX_API_URL ?? 'http://127.0.0.1:8000',
    },
  },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
  },
});
