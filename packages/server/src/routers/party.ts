import {
  createParty,
  deleteParty,
  getParty,
  listParties,
  partyInput,
  partyListInput,
  updateParty,
} from '@hisaabo/domain';
import { z } from 'zod';
import { actor, businessProcedure, router } from '../trpc.ts';
import { byIdInput } from '../validation.ts';

export const partyRouter = router({
  create: businessProcedure
    .input(partyInput)
    .mutation(({ ctx, input }) => createParty(ctx.db, actor(ctx), input)),
  /** Search by name, phone or GSTIN; filter by type (a "both" party shows under either). */
  list: businessProcedure
    .input(partyListInput)
    .query(({ ctx, input }) => listParties(ctx.db, actor(ctx), input)),
  /** The party with its balance: positive when they owe the business, negative when it owes them. */
  get: businessProcedure.input(byIdInput).query(({ ctx, input }) => getParty(ctx.db, actor(ctx), input.id)),
  update: businessProcedure
    .input(z.object({ id: z.uuid(), patch: partyInput.partial() }))
    .mutation(({ ctx, input }) => updateParty(ctx.db, actor(ctx), input.id, input.patch)),
  /** Refused while documents, payments, expenses or recurring templates refer to the party. */
  delete: businessProcedure
    .input(byIdInput)
    .mutation(({ ctx, input }) => deleteParty(ctx.db, actor(ctx), input.id)),
});
