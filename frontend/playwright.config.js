// End-to-end tests (`npm run e2e`): @playwright/test driving Debian's Chromium, never a
// downloaded browser. The tests start the backend themselves (e2e/harness.mjs).
import { defineConfig } from '@playwright/test';

export default defineConfig({
	testDir: 'e2e',
	testMatch: '*.test.mjs',
	// One backend, one story: the tests run in order in one worker.
	workers: 1,
	fullyParallel: false,
	timeout: 120_000,
	reporter: [['list']],
	outputDir: '../test-artifacts/playwright',
	use: {
		viewport: { width: 1280, height: 900 },
		// A step that waits longer than this has failed; the test says which one.
		actionTimeout: 30_000,
		launchOptions: {
			executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
			args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
		},
	},
});
