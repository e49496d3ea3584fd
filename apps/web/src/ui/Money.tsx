import { useWorkspace } from '../app/workspaceContext.ts';
import { formatMoney } from './format.ts';

/** An amount from the server (a decimal string) in the business's currency. */
export function Money({ value }: { value: string | null | undefined }) {
  const { business } = useWorkspace();
  return <span className="money">{formatMoney(value, business.currency)}</span>;
}
