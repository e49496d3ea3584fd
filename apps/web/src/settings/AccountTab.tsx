import { ChangePasswordForm } from '../account/ChangePasswordForm.tsx';
import { SessionsCard } from '../account/SessionsCard.tsx';

/** The signed-in user's own account, whatever their role in the organization. */
export function AccountTab() {
  return (
    <div className="stack">
      <ChangePasswordForm />
      <SessionsCard />
    </div>
  );
}
