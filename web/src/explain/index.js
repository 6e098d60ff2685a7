// The page's entry to the explanation layer (page-interface.md): the error card, its catalog, the
// fix gallery with its verdicts, and the shape diagram.
export { explain, explanationIds } from './explain.js';
export { CATALOG, catalogEntry } from './catalog.js';
export { FIXES, fixById, judge } from './fixes.js';
export { shapeDiagram } from './diagram.js';
