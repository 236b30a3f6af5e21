import { defineConfig } from 'vitest/config';

// Integration tests spawn real clusters from dist/ (built by `npm test` before vitest runs),
// so they run in forked pools with generous but bounded time-outs.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-report.json' },
  },
});
