// Prepended to the generated ES module (--extern-pre-js). Emscripten 3.1.6's Node code path
// uses the CommonJS names `require` and `__dirname`, which an ES module does not have.
var require, __dirname;
if (typeof process == 'object' && typeof process.versions == 'object' && typeof process.versions.node == 'string') {
  const { createRequire } = await import('node:module');
  require = createRequire(import.meta.url);
  __dirname = require('node:path').dirname(require('node:url').fileURLToPath(import.meta.url));
}
