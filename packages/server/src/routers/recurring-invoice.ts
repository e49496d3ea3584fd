import {
  createRecurringTemplate,
  getRecurringTemplate,
  listRecurringTemplates,
  pauseRecurringTemplate,
  recurringTemplateInput,
  resumeRecurringTemplate,
  runRecurringTemplateNow,
  updateRecurringTemplate,
} from '@hisaabo/domain';
import { z } from 'zod';
import { actor, businessProcedure, router } from '../trpc.ts';
import { byIdInput } from '../validation.ts';

export const recurringInvoiceRouter = router({
  /** A schedule that generates a document from the template on each run date, starting at startDate. */
  create: businessProcedure
    .input(recurringTemplateInput)
    .mutation(({ ctx, input }) => createRecurringTemplate(ctx.db, actor(ctx), input)),
  list: businessProcedure.query(({ ctx }) => listRecurringTemplates(ctx.db, actor(ctx))),
  /** The template with its latest runs. */
  get: businessProcedure
    .input(byIdInput)
    .query(({ ctx, input }) => getRecurringTemplate(ctx.db, actor(ctx), input.id)),
  update: businessProcedure
    .input(z.object({ id: z.uuid(), patch: recurringTemplateInput.omit({ startDate: true }).partial() }))
    .mutation(({ ctx, input }) => updateRecurringTemplate(ctx.db, actor(ctx), input.id, input.patch)),
  pause: businessProcedure
    .input(byIdInput)
    .mutation(({ ctx, input }) => pauseRecurringTemplate(ctx.db, actor(ctx), input.id)),
  /** Resumes from the next date on or after today; runs missed while paused are not billed. */
  resume: businessProcedure
    .input(byIdInput)
    .mutation(({ ctx, input }) => resumeRecurringTemplate(ctx.db, actor(ctx), input.id)),
  /** Generates today's document now (once per template and day). */
  runNow: businessProcedure
    .input(byIdInput)
    .mutation(({ ctx, input }) => runRecurringTemplateNow(ctx.db, actor(ctx), input.id)),
});
