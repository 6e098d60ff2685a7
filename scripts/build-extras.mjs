// The course-author outputs built beside the page (issue 6), run at the end of build-web.mjs:
//   web/dist/parity.json        which PyTorch version and how many golden cases (scripts/parity.mjs)
//   web/dist/errors/*.html      one page per explanation id (scripts/build-error-pages.mjs)
//   web/dist/logit-lab.html     the whole page in one file, wasm inlined (scripts/build-single.mjs)
//
//   node --no-experimental-fetch scripts/build-extras.mjs     (after build-web.mjs)
import { writeParity } from './parity.mjs';
import { buildErrorPages } from './build-error-pages.mjs';
import { buildSingle } from './build-single.mjs';

await writeParity();
await buildErrorPages();
await buildSingle();
