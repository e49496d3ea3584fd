import { dashboardSummary } from '@hisaabo/domain';
import { router } from '../trpc.ts';
import { actor, booksProcedure } from './business.ts';

export const dashboardRouter = router({
  /** Receivables, payables, this month's sales, purchases and expenses, cash and bank balances, counts. */
  summary: booksProcedure.query(({ ctx }) => dashboardSummary(ctx.db, actor(ctx))),
});
