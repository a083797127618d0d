// Entry point bundled by ncc into dist/validate/index.js.
import { run } from './main.js';

await run();
