/**
 * The dates a recurring template may carry (start, end, next run), from the API and from an archive
 * alike. A schedule is a plan for invoices to come: a start centuries back only makes the scheduler
 * walk through periods nobody will bill, and an end beyond 9999 has no YYYY-MM-DD form.
 */
export const TEMPLATE_DATE_RANGE = { min: '1900-01-01', max: '9999-12-31' } as const;

/** Date columns of organization tables held to a narrower range than PostgreSQL's, by `table.column`. */
export const BOUNDED_DATE_COLUMNS: ReadonlyMap<string, { min: string; max: string }> = new Map([
  ['recurring_invoice_templates.start_date', TEMPLATE_DATE_RANGE],
  ['recurring_invoice_templates.end_date', TEMPLATE_DATE_RANGE],
  ['recurring_invoice_templates.next_run_date', TEMPLATE_DATE_RANGE],
]);
