// The rules for single values that need no database: COPY text encoding, JSON value limits and date
// bounds. Modules without imports, so a worker thread (the restore's line worker) can load them
// without the drivers, the schema and the ORM that the package's main entry brings.
export * from './copy-text.ts';
export * from './date-bounds.ts';
export * from './json-values.ts';
