// Entry point of the root action, bundled by ncc into dist/main/index.js.
import { run } from './src/github/main.js';

await run();
