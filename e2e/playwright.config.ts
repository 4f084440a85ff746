import { defineConfig } from '@playwright/test';

/**
 * Browser tests: the same specs against the web UI in serve mode (Debian's Chromium, since
 * Playwright cannot download browsers here) and, where an Electron binary exists, the desktop app.
 */
export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  outputDir: '../test-results',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [['list']],
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  projects: [
    { name: 'web', use: { browserName: 'chromium', viewport: { width: 1440, height: 900 } } },
    { name: 'electron', use: { viewport: { width: 1440, height: 900 } } },
  ],
});
