import { useTRPC } from '../api/trpc.ts';
import { useMutation } from '@tanstack/react-query';
import { setScope } from '../api/scope.ts';
import type { Me } from '../app/workspaceContext.ts';
import { ErrorNote } from '../ui/ErrorNote.tsx';

/**
 * The organizations of a user who has not chosen one in this session (their last choice is gone, say):
 * the app opens none of them on its own; the user picks.
 */
export function OpenOrganization({ me }: { me: Me }) {
  const trpc = useTRPC();
  const select = useMutation(
    trpc.tenant.select.mutationOptions({
      onSuccess: (chosen) => {
        if (!chosen) return;
        setScope({ tenantId: chosen.id, businessId: null });
        window.location.assign('/dashboard');
      },
    }),
  );
  if (me.organizations.length === 0) return null;
  return (
    <section className="card stack" aria-labelledby="your-organizations-title">
      <h2 id="your-organizations-title">Your organizations</h2>
      <ErrorNote error={select.error} />
      <ul className="invitation-list">
        {me.organizations.map((org) => (
          <li key={org.id} className="invitation">
            <span>
              <strong>{org.name}</strong> ({org.role})
            </span>
            <button
              type="button"
              disabled={select.isPending}
              aria-label={`Open ${org.name}`}
              onClick={() => select.mutate({ tenantId: org.id })}
            >
              Open
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
