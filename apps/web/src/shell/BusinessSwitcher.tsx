import { useId } from 'react';
import { useWorkspace } from '../app/workspaceContext.ts';

/** Which business of the organization the app shows; hidden when there is only one. */
export function BusinessSwitcher() {
  const { businesses, business, selectBusiness } = useWorkspace();
  const id = useId();
  if (businesses.length < 2) return <span className="business-name">{business.name}</span>;
  return (
    <span className="business-switcher">
      <label htmlFor={id} className="visually-hidden">
        Business
      </label>
      <select id={id} value={business.id} onChange={(event) => selectBusiness(event.target.value)}>
        {businesses.map((b) => (
          <option key={b.id} value={b.id}>
            {b.name}
          </option>
        ))}
      </select>
    </span>
  );
}
