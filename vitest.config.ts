import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // SWC instead of esbuild/oxc: type-graphql and MikroORM need emitted decorator metadata.
  oxc: false,
  plugins: [swc.vite({ module: { type: 'es6' } })],
  resolve: {
    // graphql 16 ships CJS and ESM without "exports"; one realm avoids "Cannot use GraphQLSchema from another module".
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Each file has its own database, so files may run in parallel (2 cores).
    fileParallelism: true,
    maxWorkers: 2,
  },
});
