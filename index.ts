// Entry point of the root action, bundled by ncc into dist/main/index.js.
import { run } from './main.js';

await run();
