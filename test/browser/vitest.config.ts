// The browser suite: plain vitest in Node (not the workers pool). One Ceph RGW for the run
// (global-setup.ts); each test file starts its own app (app.ts) and browsers (browser.ts).
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['test/browser/**/*.test.ts'],
    globalSetup: ['test/browser/global-setup.ts'],
    environment: 'node',
    // One file at a time: each runs wrangler dev and Chromium, and the CI machine has 2 cores.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Uploads, listings and thumbnails take real round trips to RGW: poll for up to 20 s.
    expect: { poll: { timeout: 20_000, interval: 100 } },
  },
})
