import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { fieldErrors } from '../api/errors.ts';
import { setScope } from '../api/scope.ts';
import { useTRPC } from '../api/trpc.ts';
import { Link, navigate } from '../app/router.tsx';
import type { Me } from '../app/workspaceContext.ts';
import { ErrorNote } from '../ui/ErrorNote.tsx';
import { Field } from '../ui/Field.tsx';
import { SubmitButton } from '../ui/SubmitButton.tsx';
import { OnboardingFrame } from './OnboardingFrame.tsx';
import { slugify } from './slug.ts';

/** An account without an organization names one first; the businesses live inside it. */
export function CreateOrganizationPage({ me }: { me: Me }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [slug, setSlug] = useState('');
  const [slugEdited, setSlugEdited] = useState(false);
  const create = useMutation(
    trpc.tenant.create.mutationOptions({
      onSuccess: async (organization) => {
        setScope({ tenantId: organization.id, businessId: null });
        navigate('/get-started', { replace: true });
        await queryClient.resetQueries();
      },
    }),
  );
  const errors = fieldErrors(create.error);

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate({ name, slug });
  }

  return (
    <OnboardingFrame who={me.user.email}>
      <form className="card stack narrow" onSubmit={submit}>
        <h1>Create your organization</h1>
        <p>
          An organization holds your businesses and the people who work on them. You can create a business or
          restore a backup into it next.
        </p>
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
        <ErrorNote error={create.error} />
        <div className="row">
          <SubmitButton pending={create.isPending} pendingLabel="Creating…">
            Create organization
          </SubmitButton>
          {me.organizations.length > 0 && <Link href="/dashboard">Back</Link>}
        </div>
      </form>
    </OnboardingFrame>
  );
}
