import { useState } from 'react';
import { navigate } from '../app/router.tsx';
import type { Organization } from '../app/workspaceContext.ts';
import { CreateBusinessForm } from './CreateBusinessForm.tsx';

/**
 * Owners choose between a new business and restoring a backup (a restore needs an organization with
 * no business, so this is the only place it is offered). Admins can create a business; other roles
 * wait for someone who can.
 */
export function GetStartedPage({ organization }: { organization: Organization }) {
  const [creating, setCreating] = useState(organization.role === 'admin');

  if (organization.role !== 'owner' && organization.role !== 'admin') {
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

  return (
    <section className="stack get-started">
      <header>
        <h1>Get started</h1>
        <p className="subtitle">Set up your organization, {organization.name}</p>
      </header>
      {creating ? (
        <div className="card narrow">
          <CreateBusinessForm
            onCancel={organization.role === 'owner' ? () => setCreating(false) : undefined}
          />
        </div>
      ) : (
        <div className="choice-grid">
          <button type="button" className="choice" onClick={() => setCreating(true)}>
            <span className="choice-title">Create a new business</span>
            <span className="choice-text">Start fresh: enter your business details and begin invoicing.</span>
          </button>
          <button type="button" className="choice" onClick={() => navigate('/restore')}>
            <span className="choice-title">Restore from a backup</span>
            <span className="choice-text">Import a previously exported backup to restore all your data</span>
          </button>
        </div>
      )}
    </section>
  );
}
