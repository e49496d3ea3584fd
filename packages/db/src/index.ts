export * from './catalog.ts';
export * from './connect.ts';
export * from './data-dir-lock.ts';
export * from './migrate.ts';
export * from './query.ts';
export * from './registry.ts';
export * from './schema/index.ts';
export * from './copy-text.ts';
