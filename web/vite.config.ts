import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = import.meta.dirname;

/**
 * The browser pages the hub serves (src/web/static.ts): one HTML entry per address, so the dashboards
 * never load the GraphiQL/Monaco bundle. `npm run build:web` writes them to dist/web.
 */
export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: resolve(root, '../dist/web'),
    emptyOutDir: true,
    // Monaco (GraphiQL's editor) is several MB by nature; it loads on the playground only.
    chunkSizeWarningLimit: 6000,
    rolldownOptions: {
      input: {
        index: resolve(root, 'index.html'),
        angebote: resolve(root, 'angebote.html'),
        sitzung: resolve(root, 'sitzung.html'),
        verwaltung: resolve(root, 'verwaltung.html'),
        faelle: resolve(root, 'faelle.html'),
        playground: resolve(root, 'playground.html'),
      },
      // GraphiQL's packages carry React-compiler directives ("use no memo") that bundling drops, harmlessly.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  // Monaco's workers import modules, so they are built as ES module workers.
  worker: { format: 'es' },
  server: {
    // `npx vite web` for front-end work against a hub on port 4000 (npm start).
    proxy: { '/graphql': { target: 'http://localhost:4000', ws: true } },
  },
});
