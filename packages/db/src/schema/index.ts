export * from './columns.ts';
export * from './control.ts';
export * from './tenant.ts';
