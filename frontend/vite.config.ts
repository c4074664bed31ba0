import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	server: {
		// `npm run dev` proxies the API to a local backend (PORT 3000 by default).
		proxy: { '/api': process.env.CARAVEL_API ?? 'http://127.0.0.1:3000' },
	},
	test: {
		include: ['src/**/*.test.ts'],
		environment: 'node',
	},
});
