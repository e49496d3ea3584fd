import { readFileSync } from 'node:fs';

/** The application's version (the root package), written into archives and reports. */
export const APP_VERSION: string = (
  JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
