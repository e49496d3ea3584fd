import { dashboardSummary } from '@hisaabo/domain';
import { actor, businessProcedure, router } from '../trpc.ts';

export const dashboardRouter = router({
  /** Receivables, payables, this month's sales, purchases and expenses, cash and bank balances, counts. */
  summary: businessProcedure.query(({ ctx }) => dashboardSummary(ctx.db, actor(ctx))),
});
