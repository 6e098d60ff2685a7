// A Node module-resolution hook for bench/tfjs_bench.mjs: tfjs-core's ES module files import
// "./gradients/Abs_grad" and "./gradients" (a folder with a .js twin) the way bundlers allow;
// Node needs "./gradients/Abs_grad.js". Only relative imports inside @tensorflow/ are retried.
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (error) {
    const retry = error.code === 'ERR_MODULE_NOT_FOUND' || error.code === 'ERR_UNSUPPORTED_DIR_IMPORT';
    if (!retry || !/^\.\.?\//.test(specifier) || !context.parentURL?.includes('/@tensorflow/')) throw error;
    try {
      return await next(`${specifier}.js`, context);
    } catch {
      return next(`${specifier}/index.js`, context);
    }
  }
}
