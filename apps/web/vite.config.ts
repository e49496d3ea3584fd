import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `npm run build:web` writes apps/web/dist, which the server serves at `/`.
// `npx vite apps/web` runs a dev server that forwards the API to a server on port 3000.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  server: {
    proxy: { '/api': 'http://localhost:3000' },
  },
});
