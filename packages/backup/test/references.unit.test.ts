import { describe, expect, it } from 'vitest';
import { ReferenceChecker } from '../src/references.ts';

// The checker on its own: a reference to a table it has not read is dangling, and tenant_id is no
// reference (every row of an archive belongs to its one organization).

const id = (n: number) => `0193a000-0000-7000-8000-${String(n).padStart(12, '0')}`;

describe('reference checker', () => {
  it('reports a reference to a table not read (yet), naming table, line and column', () => {
    const checker = new ReferenceChecker();
    checker.startTable('invoice_items');
    checker.row('invoice_items', { id: id(1), invoice_id: id(2) }, 4);
    checker.endTable('invoice_items');
    expect(checker.issues).toEqual([
      {
        table: 'invoice_items',
        line: 4,
        column: 'invoice_id',
        message: `refers to invoices ${id(2)}, which is not in the archive`,
      },
    ]);
  });

  it('does not treat tenant_id as a reference', () => {
    const checker = new ReferenceChecker();
    checker.startTable('parties');
    checker.row('parties', { id: id(1), tenant_id: id(9) }, 1);
    checker.endTable('parties');
    checker.startTable('items');
    checker.row('items', { id: id(2), tenant_id: id(9) }, 1);
    checker.endTable('items');
    expect(checker.issues).toEqual([]);
  });
});
