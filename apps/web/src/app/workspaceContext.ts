import { createContext, useContext } from 'react';
import type { RouterOutputs } from '../api/trpc.ts';

export type Me = RouterOutputs['auth']['me'];
export type Organization = Me['organizations'][number];
export type Business = RouterOutputs['business']['list'][number];

export interface WorkspaceValue {
  me: Me;
  organization: Organization;
  businesses: Business[];
  business: Business;
  selectBusiness: (businessId: string) => void;
  selectOrganization: (tenantId: string) => void;
}

export const WorkspaceContext = createContext<WorkspaceValue | null>(null);

/** The signed-in user, their organization and the business they work in (inside the app shell). */
export function useWorkspace(): WorkspaceValue {
  const value = useContext(WorkspaceContext);
  if (!value) throw new Error('useWorkspace is used outside the app shell');
  return value;
}

export function isOwner(organization: Organization): boolean {
  return organization.role === 'owner';
}

export function canManage(organization: Organization): boolean {
  return organization.role === 'owner' || organization.role === 'admin';
}
