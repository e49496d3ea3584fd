import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { fieldErrors } from '../api/errors.ts';
import { setScope } from '../api/scope.ts';
import { useTRPC } from '../api/trpc.ts';
import { Link, navigate, useSearchParam } from '../app/router.tsx';
import type { Organization } from '../app/workspaceContext.ts';
import { ErrorNote } from '../ui/ErrorNote.tsx';
import { Field } from '../ui/Field.tsx';
import { CreateBusinessForm } from './CreateBusinessForm.tsx';
import { slugify } from './slug.ts';

// The business form is a step in the address, so it survives the organization being created (which
// remounts this page) and the browser's Back button leaves it.
const NEXT = { business: '/get-started?step=business', restore: '/restore' } as const;

/**
 * Owners choose between a new business and restoring a backup (a restore needs an organization with
 * no business, so this is the only place it is offered). Without an organization, the same screen
 * asks for its name, and either choice creates it first. Admins can create a business; other roles
 * wait for someone who can.
 */
export function GetStartedPage({ organization, back }: { organization?: Organization; back?: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const step = useSearchParam('step');
  // Back returns to the page the switcher was opened on; only a path of this app is followed.
  const from = useSearchParam('from');
  const backTo = from && /^\/(?![/\\])/.test(from) ? from : '/dashboard';
  const [name, setName] = useState('');
  const [slug, setSlug] = useState('');
  const [slugEdited, setSlugEdited] = useState(false);
  const create = useMutation(trpc.tenant.create.mutationOptions());
  const errors = fieldErrors(create.error);

  if (organization && organization.role !== 'owner' && organization.role !== 'admin') {
    return (
      <section className="card narrow stack">
        <h1>Get started</h1>
        <p>
          <strong>{organization.name}</strong> has no business yet. An owner or admin of the organization
          needs to create one (or restore a backup) before you can start. This page will be ready once they
          have.
        </p>
      </section>
    );
  }

  function choose(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    const next = submitter?.getAttribute('value') === 'restore' ? NEXT.restore : NEXT.business;
    if (organization) {
      navigate(next);
      return;
    }
    create.mutate(
      { name, slug },
      {
        onSuccess: async (created) => {
          setScope({ tenantId: created.id, businessId: null });
          // Only once the app knows of the new organization: before that, /restore is not a page of
          // an account without one and would be sent back here.
          await queryClient.resetQueries();
          navigate(next, { replace: true });
        },
      },
    );
  }

  const creating = organization?.role === 'admin' || (organization?.role === 'owner' && step === 'business');

  return (
    <section className="stack get-started">
      <header>
        <h1>Get started</h1>
        <p className="subtitle">
          {organization
            ? `Set up your organization, ${organization.name}`
            : 'Name your organization, then create a business in it or restore a backup into it'}
        </p>
      </header>
      {creating ? (
        <div className="card narrow">
          <CreateBusinessForm
            onCancel={organization?.role === 'owner' ? () => navigate('/get-started') : undefined}
          />
        </div>
      ) : (
        <form className="stack" onSubmit={choose}>
          {!organization && (
            <div className="card stack">
              <p>An organization holds your businesses and the people who work on them.</p>
              <Field
                label="Organization name"
                required
                value={name}
                onChange={(e) => {
                  setName(e.target.value);
                  if (!slugEdited) setSlug(slugify(e.target.value));
                }}
                error={errors.name}
              />
              <Field
                label="Short name (slug)"
                required
                value={slug}
                onChange={(e) => {
                  setSlug(e.target.value);
                  setSlugEdited(true);
                }}
                hint="Lowercase letters, digits and hyphens; used by the command line, e.g. hisaabo export --tenant my-company."
                error={errors.slug}
              />
            </div>
          )}
          <ErrorNote error={create.error} />
          <div className="choice-grid">
            <button type="submit" value="business" className="choice" disabled={create.isPending}>
              <span className="choice-title">Create a new business</span>
              <span className="choice-text">
                Start fresh: enter your business details and begin invoicing.
              </span>
            </button>
            <button type="submit" value="restore" className="choice" disabled={create.isPending}>
              <span className="choice-title">Restore from a backup</span>
              <span className="choice-text">
                Import a previously exported backup to restore all your data
              </span>
            </button>
          </div>
          {back && <Link href={backTo}>Back</Link>}
        </form>
      )}
    </section>
  );
}
