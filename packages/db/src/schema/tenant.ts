// Organization data. The rules (checked against the live catalog by a test):
// - every table has `tenant_id uuid not null` and primary key (tenant_id, id);
// - every foreign key between these tables is composite (tenant_id, x_id) -> (tenant_id, id);
// - every unique constraint starts with tenant_id.
// So a row can never point into another organization, and a restore keeps every id unchanged.

export * from './tenant/master-data.ts';
export * from './tenant/books.ts';
