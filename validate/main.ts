// The validate action's entry: everything it does is in its GitHub front-end, src/github/validate.ts.
export { run } from '../src/github/validate.js';
