import {
  cancelInvoice,
  createInvoice,
  deleteInvoice,
  getInvoice,
  invoiceInput,
  invoiceListInput,
  listInvoices,
  updateInvoice,
  updateInvoiceStatus,
} from '@hisaabo/domain';
import { INVOICE_STATUSES } from '@hisaabo/db';
import { z } from 'zod';
import { actor, businessProcedure, router } from '../trpc.ts';
import { byIdInput } from '../validation.ts';

/** One router for every document type (invoice, quotation, proforma, challan, notes, returns). */
export const invoiceRouter = router({
  /** Numbers and totals are made on the server; stock moves per document type. */
  create: businessProcedure
    .input(invoiceInput)
    .mutation(({ ctx, input }) => createInvoice(ctx.db, actor(ctx), input)),
  /** Replaces the content; stock moves by the difference; the total may not drop below what is paid. */
  update: businessProcedure
    .input(
      z.object({
        id: z.uuid(),
        document: invoiceInput.omit({ docType: true, direction: true, status: true }),
      }),
    )
    .mutation(({ ctx, input }) => updateInvoice(ctx.db, actor(ctx), input.id, input.document)),
  updateStatus: businessProcedure
    .input(z.object({ id: z.uuid(), status: z.enum(INVOICE_STATUSES) }))
    .mutation(({ ctx, input }) => updateInvoiceStatus(ctx.db, actor(ctx), input.id, input.status)),
  /** Cancels and returns the stock; refused while payments are allocated to the document. */
  cancel: businessProcedure
    .input(byIdInput)
    .mutation(({ ctx, input }) => cancelInvoice(ctx.db, actor(ctx), input.id)),
  /** Soft delete (the number stays used); stock comes back. */
  delete: businessProcedure
    .input(byIdInput)
    .mutation(({ ctx, input }) => deleteInvoice(ctx.db, actor(ctx), input.id)),
  list: businessProcedure
    .input(invoiceListInput)
    .query(({ ctx, input }) => listInvoices(ctx.db, actor(ctx), input)),
  /** The document with its lines, allocations and balance due. */
  get: businessProcedure.input(byIdInput).query(({ ctx, input }) => getInvoice(ctx.db, actor(ctx), input.id)),
});
