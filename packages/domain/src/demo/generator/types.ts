/** Shapes the generators hand each other: what was made, kept only as far as later rows need it. */

export interface SeedItem {
  id: string;
  name: string;
  type: 'product' | 'service';
  unit: string;
  hsn: string;
  salePrice: string;
  purchasePrice: string;
  taxRate: string;
  taxInclusive: boolean;
  variants: { id: string; name: string; salePrice: string; purchasePrice: string }[];
}

/** A document line before pricing. */
export interface PlannedLine {
  itemId: string | null;
  variantId: string | null;
  description: string;
  hsn: string;
  unit: string;
  quantity: string;
  unitPrice: string;
  discountPercent: string;
  taxRate: string;
  taxInclusive: boolean;
}

export interface Party {
  id: string;
  type: 'customer' | 'supplier';
}

/** An amount paid on a document, waiting to be gathered into a payment. */
export interface Due {
  invoiceId: string;
  amount: string;
  date: string;
}

/** A bank or cash account of the business, and where money goes by default. */
export interface Accounts {
  cashId: string;
  bankIds: string[];
}
