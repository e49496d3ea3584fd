import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../api/trpc.ts';
import { emptyLine, type LineDraft } from './lineDraft.ts';

interface LinesEditorProps {
  lines: LineDraft[];
  onChange: (lines: LineDraft[]) => void;
  /** Sale or purchase: which of the item's prices a picked item fills in. */
  direction: 'sale' | 'purchase';
  errors: Record<string, string[]>;
}

/** The document's lines. Amounts are not added up here: the server computes every total. */
export function LinesEditor({ lines, onChange, direction, errors }: LinesEditorProps) {
  const trpc = useTRPC();
  const items = useQuery(trpc.item.list.queryOptions({ limit: 500, offset: 0 }));
  const catalog = items.data?.items ?? [];

  function update(index: number, patch: Partial<LineDraft>) {
    onChange(lines.map((line, i) => (i === index ? { ...line, ...patch } : line)));
  }

  function pickItem(index: number, itemId: string) {
    const item = catalog.find((candidate) => candidate.id === itemId);
    if (!item) return update(index, { itemId: '' });
    update(index, {
      itemId,
      description: item.name,
      unitPrice: direction === 'sale' ? item.salePrice : item.purchasePrice,
      taxRate: item.taxRate,
      taxInclusive: item.taxInclusive,
    });
  }

  return (
    <fieldset className="stack">
      <legend>Lines</legend>
      <div className="table-scroll">
        <table className="table compact lines">
          <thead>
            <tr>
              <th scope="col">Item</th>
              <th scope="col">Description</th>
              <th scope="col">Quantity</th>
              <th scope="col">Price</th>
              <th scope="col">Discount %</th>
              <th scope="col">Tax %</th>
              <th scope="col">Incl. tax</th>
              <th scope="col">
                <span className="visually-hidden">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {lines.map((line, index) => {
              const n = index + 1;
              const error = (field: string) => errors[`lines.${index}.${field}`]?.join(' ');
              return (
                <tr key={line.key}>
                  <td>
                    <select
                      aria-label={`Line ${n} item`}
                      value={line.itemId}
                      onChange={(e) => pickItem(index, e.target.value)}
                    >
                      <option value="">No item</option>
                      {catalog.map((item) => (
                        <option key={item.id} value={item.id}>
                          {item.name}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <input
                      aria-label={`Line ${n} description`}
                      required
                      value={line.description}
                      onChange={(e) => update(index, { description: e.target.value })}
                    />
                    {error('description') && <small className="field-error">{error('description')}</small>}
                  </td>
                  <td>
                    <input
                      aria-label={`Line ${n} quantity`}
                      inputMode="decimal"
                      value={line.quantity}
                      onChange={(e) => update(index, { quantity: e.target.value })}
                    />
                    {error('quantity') && <small className="field-error">{error('quantity')}</small>}
                  </td>
                  <td>
                    <input
                      aria-label={`Line ${n} price`}
                      inputMode="decimal"
                      value={line.unitPrice}
                      onChange={(e) => update(index, { unitPrice: e.target.value })}
                    />
                    {error('unitPrice') && <small className="field-error">{error('unitPrice')}</small>}
                  </td>
                  <td>
                    <input
                      aria-label={`Line ${n} discount percent`}
                      inputMode="decimal"
                      value={line.discountPercent}
                      onChange={(e) => update(index, { discountPercent: e.target.value })}
                    />
                  </td>
                  <td>
                    <input
                      aria-label={`Line ${n} tax percent`}
                      inputMode="decimal"
                      value={line.taxRate}
                      onChange={(e) => update(index, { taxRate: e.target.value })}
                    />
                    {error('taxRate') && <small className="field-error">{error('taxRate')}</small>}
                  </td>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`Line ${n} price includes tax`}
                      checked={line.taxInclusive}
                      onChange={(e) => update(index, { taxInclusive: e.target.checked })}
                    />
                  </td>
                  <td>
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`Remove line ${n}`}
                      disabled={lines.length === 1}
                      onClick={() => onChange(lines.filter((_, i) => i !== index))}
                    >
                      ×
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div>
        <button type="button" className="secondary" onClick={() => onChange([...lines, emptyLine()])}>
          Add line
        </button>
      </div>
    </fieldset>
  );
}
