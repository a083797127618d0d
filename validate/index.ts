// Entry point bundled by ncc into dist/validate/index.js.
import { run } from '../src/github/validate.js';

await run();
