// Entry point bundled by ncc into dist/deploy/index.js.
import { run } from '../src/github/deploy.js';

await run();
