// Module hooks (they run on the loader's own thread): every module that resolves into the PGlite
// package, by ESM import or by require, is appended to the file named by MODULE_PROBE_LOG.
import { appendFileSync } from 'node:fs';

const WATCHED = /[\\/]node_modules[\\/]@electric-sql[\\/]pglite[\\/]/;

export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  if (WATCHED.test(result.url) && process.env.MODULE_PROBE_LOG) {
    appendFileSync(process.env.MODULE_PROBE_LOG, `${result.url}\n`);
  }
  return result;
}
