// Entry point bundled by ncc into dist/deploy/index.js.
import { run } from './main.js';

await run();
