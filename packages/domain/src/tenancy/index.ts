// Organizations and who belongs to them: the rules over the control tables that routers call.
export { MANAGERS, canWrite, requireRole } from './roles.ts';
export {
  findMembership,
  listMemberships,
  looksLikeUuid,
  type Membership,
  type TenantInfo,
} from './membership.ts';
export { createOrganization, renameOrganization } from './organizations.ts';
export { listMembers, type Member } from './members.ts';
export { changeMemberRole, removeMember } from './member-changes.ts';
export {
  acceptInvitation,
  declineInvitation,
  inviteMember,
  listReceivedInvitations,
  listSentInvitations,
  withdrawInvitation,
  type ReceivedInvitation,
  type SentInvitation,
} from './invitations.ts';
export { rememberChosenOrganization, startingOrganization } from './last-choice.ts';
