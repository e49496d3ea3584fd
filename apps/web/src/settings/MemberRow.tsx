import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId } from 'react';
import { type RouterOutputs, useTRPC } from '../api/trpc.ts';
import { useWorkspace } from '../app/workspaceContext.ts';
import { ErrorNote } from '../ui/ErrorNote.tsx';
import { humanize } from '../ui/format.ts';
import { ROLE_OPTIONS, type RoleName } from './roles.ts';

type Member = RouterOutputs['tenant']['members'][number];

export function MemberRow({
  member,
  editable,
  isSelf,
}: {
  member: Member;
  editable: boolean;
  isSelf: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { organization } = useWorkspace();
  const roleId = useId();
  const refresh = () => queryClient.invalidateQueries(trpc.tenant.members.queryFilter());
  const updateRole = useMutation(trpc.tenant.updateMemberRole.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.tenant.removeMember.mutationOptions({ onSuccess: refresh }));
  const error = updateRole.error ?? remove.error;
  return (
    <tr>
      <td>
        {member.name}
        {isSelf && ' (you)'}
      </td>
      <td>{member.email}</td>
      <td>
        {editable ? (
          <>
            <label htmlFor={roleId} className="visually-hidden">
              Role of {member.email}
            </label>
            <select
              id={roleId}
              value={member.role}
              disabled={updateRole.isPending}
              onChange={(event) =>
                updateRole.mutate({
                  tenantId: organization.id,
                  userId: member.userId,
                  role: event.target.value as RoleName,
                })
              }
            >
              {ROLE_OPTIONS.map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label}
                </option>
              ))}
            </select>
          </>
        ) : (
          humanize(member.role)
        )}
        {error && <ErrorNote error={error} />}
      </td>
      {editable && (
        <td>
          <button
            type="button"
            className="secondary"
            disabled={remove.isPending}
            onClick={() => {
              if (window.confirm(`Remove ${member.email} from ${organization.name}?`)) {
                remove.mutate({ tenantId: organization.id, userId: member.userId });
              }
            }}
          >
            Remove
          </button>
        </td>
      )}
    </tr>
  );
}
