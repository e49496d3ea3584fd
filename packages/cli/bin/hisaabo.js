#!/usr/bin/env node
// Runs the compiled command (dist/hisaabo.js, from `npm run build` or `npm start`) when it is there and
// no source changed after it was built: plain JavaScript starts faster and lighter. Otherwise, or with
// HISAABO_FROM_SOURCES=1, the TypeScript sources run through tsx, so an edited source never runs stale.
import { runCompiled } from '../../../scripts/freshness.mjs';

if (runCompiled()) {
  await import('../../../dist/hisaabo.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/main.ts');
}
