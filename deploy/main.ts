// The deploy action's entry: everything it does is in its GitHub front-end, src/github/deploy.ts.
export { run } from '../src/github/deploy.js';
