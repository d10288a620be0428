// Entry of the `virtfleet` bin (bin/virtfleet.mjs loads the compiled copy of this file).
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
