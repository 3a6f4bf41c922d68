// Builds the operations console (a React single-page app) into dist/console/, which the hub serves at `/`:
//   npx vite build --config src/console/vite.config.ts
// `npx vite --config src/console/vite.config.ts` serves it with hot reload and passes /v1 to a running hub
// (TENDON_HUB, default http://127.0.0.1:8080), so the session cookie stays same-origin as it is in production.
import { defineConfig, loadEnv } from 'vite';
import react from '@vitejs/plugin-react';

const here = (relative: string): string => decodeURIComponent(new URL(relative, import.meta.url).pathname);

export default defineConfig(({ mode }) => {
  // loadEnv also reads TENDON_* from the shell's environment.
  const env = loadEnv(mode, here('.'), 'TENDON_');
  return {
    root: here('.'),
    base: '/',
    plugins: [react()],
    build: {
      outDir: here('../../dist/console'),
      emptyOutDir: true,
      sourcemap: true,
      // recharts is most of the bundle; one file is fine for a console served from the hub itself.
      chunkSizeWarningLimit: 1200,
    },
    server: {
      proxy: { '/v1': { target: env.TENDON_HUB ?? 'http://127.0.0.1:8080', changeOrigin: false } },
    },
  };
});
