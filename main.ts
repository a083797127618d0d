// The root (marketplace) action's entry: everything it does is in src/github/main.ts.
export { run } from './src/github/main.js';
