import { BusinessProfileForm } from './BusinessProfileForm.tsx';
import { NumberingCard } from './NumberingCard.tsx';

export function BusinessTab() {
  return (
    <div className="stack">
      <BusinessProfileForm />
      <NumberingCard />
    </div>
  );
}
