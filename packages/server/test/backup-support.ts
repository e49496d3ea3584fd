import { Readable } from 'node:stream';
import http from 'node:http';
import {
  businesses,
  expenses,
  invoiceItems,
  invoices,
  items,
  newId,
  parties,
  payments,
  type Db,
} from '@hisaabo/db';
import { call, ok } from './support/trpc.ts';

/** Every backup test server signs with this secret, so two servers on one database accept each other's links. */
export const TEST_SECRET = 'test-secret-for-signed-backup-links-0123456789';
export const BACKUP_ENV = { HISAABO_SECRET: TEST_SECRET };

export const FORMULA_PARTY = '=HYPERLINK("x")';

export interface SeededBusiness {
  businessId: string;
  partyId: string;
  invoiceId: string;
}

/**
 * A small but complete business written straight into the database: a party whose name is a
 * spreadsheet formula, an item, an invoice with a line, a payment and an expense.
 */
export async function seedBusiness(db: Db, tenantId: string): Promise<SeededBusiness> {
  const businessId = newId();
  const partyId = newId();
  const itemId = newId();
  const invoiceId = newId();
  await db.insert(businesses).values({ tenantId, id: businessId, name: 'Sharma & Sons, "Traders"' });
  await db.insert(parties).values([
    { tenantId, id: partyId, businessId, type: 'customer', name: FORMULA_PARTY, openingBalance: '-12.50' },
    { tenantId, businessId, type: 'supplier', name: 'Plain Supplier\nSecond line' },
  ]);
  await db
    .insert(items)
    .values({ tenantId, id: itemId, businessId, type: 'product', name: 'Widget', salePrice: '100.00' });
  await db.insert(invoices).values({
    tenantId,
    id: invoiceId,
    businessId,
    partyId,
    docType: 'invoice',
    direction: 'sale',
    number: 'INV-00001',
    status: 'unpaid',
    invoiceDate: '2026-11-20',
    subtotal: '200.00',
    taxAmount: '36.00',
    total: '236.00',
  });
  await db.insert(invoiceItems).values({
    tenantId,
    invoiceId,
    position: 1,
    itemId,
    description: '@SUM(A1:A2)',
    quantity: '2.000',
    unitPrice: '100.00',
    taxRate: '18.00',
    taxableAmount: '200.00',
    taxAmount: '36.00',
    total: '236.00',
  });
  await db.insert(payments).values({
    tenantId,
    businessId,
    partyId,
    direction: 'in',
    number: 'PAY-00001',
    mode: 'upi',
    amount: '100.00',
    paymentDate: '2026-11-21',
  });
  await db
    .insert(expenses)
    .values({ tenantId, businessId, expenseDate: '2026-11-22', amount: '55.55', notes: '+1 tea' });
  return { businessId, partyId, invoiceId };
}

export interface BackupLink {
  token: string;
  url: string;
  expiresAt: string;
}

export function requestExport(baseUrl: string, token: string, tenantId: string) {
  return call<BackupLink>(baseUrl, 'selfExport.request', { tenantId }, { token });
}

export function requestImport(baseUrl: string, token: string, tenantId: string) {
  return call<BackupLink>(baseUrl, 'selfImport.request', { tenantId }, { token });
}

/** Requests an export link and downloads the archive, failing loudly on any refusal. */
export async function exportArchive(baseUrl: string, token: string, tenantId: string): Promise<Buffer> {
  const link = await ok<BackupLink>(baseUrl, 'selfExport.request', { tenantId }, { token });
  const response = await fetch(`${baseUrl}${link.url}`);
  if (response.status !== 200)
    throw new Error(`download answered ${response.status}: ${await response.text()}`);
  return Buffer.from(await response.arrayBuffer());
}

export async function upload(
  baseUrl: string,
  url: string,
  body: BodyInit | null,
  headers: Record<string, string> = { 'content-type': 'application/gzip' },
): Promise<{ status: number; body: Record<string, unknown> }> {
  const init: RequestInit & { duplex?: 'half' } = { method: 'POST', headers, body };
  if (body instanceof ReadableStream) init.duplex = 'half';
  const response = await fetch(`${baseUrl}${url}`, init);
  const text = await response.text();
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    parsed = { text };
  }
  return { status: response.status, body: parsed };
}

/**
 * Posts a streamed body over node:http and reads the answer even when the server answers before the
 * body is sent and closes the connection (as it does past HISAABO_MAX_UPLOAD_BYTES); fetch reports
 * that as a failed request instead.
 */
export function uploadStreamTolerant(
  baseUrl: string,
  url: string,
  body: ReadableStream<Uint8Array>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const request = http.request(
      `${baseUrl}${url}`,
      { method: 'POST', headers: { 'content-type': 'application/gzip' } },
      (response) => {
        answered = true;
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> });
          } catch {
            resolve({ status: response.statusCode ?? 0, body: { text } });
          }
        });
      },
    );
    request.on('error', (error) => {
      if (!answered) reject(error);
    });
    const source = Readable.fromWeb(body as import('node:stream/web').ReadableStream<Uint8Array>);
    source.on('error', () => {});
    source.pipe(request);
  });
}

export async function getJson(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
