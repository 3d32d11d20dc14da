// `npm start` on a fresh clone: install what is missing, build, serve the production build with
// cross-origin isolation headers on http://localhost:4173.
import { spawn, execSync } from 'node:child_process';
import { ensureDependencies } from './ensure.mjs';

ensureDependencies();
execSync('npm run build', { stdio: 'inherit' });
console.log('\n  Backprop Lab is ready at  http://localhost:4173/\n  (Ctrl+C stops the server)\n');
const server = spawn(
  process.execPath,
  ['node_modules/vite/bin/vite.js', 'preview', '--port', '4173', '--strictPort'],
  {
    stdio: 'inherit',
  },
);
for (const sig of /** @type {const} */ (['SIGINT', 'SIGTERM']))
  process.on(sig, () => server.kill(sig));
server.on('exit', (code) => process.exit(code ?? 0));
