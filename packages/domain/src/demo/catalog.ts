/** Names the demo organization is made of: Indian small-business flavour, all fictitious. */

export const BUSINESS_PROFILES = [
  {
    name: 'Sharma Traders',
    legalName: 'Sharma Traders Private Limited',
    city: 'Jaipur',
    state: 'Rajasthan',
    stateCode: '08',
    gstinPrefix: '08AAACS',
  },
  {
    name: 'Kaveri Electronics',
    legalName: 'Kaveri Electronics LLP',
    city: 'Bengaluru',
    state: 'Karnataka',
    stateCode: '29',
    gstinPrefix: '29AAGFK',
  },
  {
    name: 'Ganga Textiles',
    legalName: 'Ganga Textiles',
    city: 'Varanasi',
    state: 'Uttar Pradesh',
    stateCode: '09',
    gstinPrefix: '09AAHFG',
  },
] as const;

export const FIRST_NAMES = [
  'Aarav',
  'Vivaan',
  'Aditya',
  'Ananya',
  'Diya',
  'Ishaan',
  'Kavya',
  'Meera',
  'Rohan',
  'Saanvi',
  'Arjun',
  'Priya',
  'Kabir',
  'Neha',
  'Vikram',
  'Pooja',
  'Rahul',
  'Sneha',
  'Farhan',
  'Gurpreet',
];
export const LAST_NAMES = [
  'Sharma',
  'Verma',
  'Iyer',
  'Reddy',
  'Nair',
  'Patel',
  'Gupta',
  'Khan',
  'Singh',
  'Das',
  'Mehta',
  'Joshi',
  'Kulkarni',
  'Banerjee',
  'Pillai',
];
export const COMPANY_WORDS = [
  'Enterprises',
  'Stores',
  'Agencies',
  'Distributors',
  'Mart',
  'Industries',
  'Suppliers',
  'Wholesale',
  'Retail',
  'Solutions',
];
export const STATE_CODES = ['08', '29', '09', '27', '33', '07', '24', '19', '32', '36'];

export interface CatalogItem {
  name: string;
  type: 'product' | 'service';
  unit: string;
  hsn: string;
  price: number;
  taxRate: string;
  taxInclusive?: boolean;
  variants?: { name: string; attributes: Record<string, string>; priceDelta: number }[];
}

const sizes = (delta: number) =>
  ['S', 'M', 'L', 'XL'].map((s, i) => ({ name: s, attributes: { size: s }, priceDelta: i * delta }));
const colours = ['Red', 'Blue', 'White'].map((c) => ({ name: c, attributes: { colour: c }, priceDelta: 0 }));

export const ITEMS: readonly CatalogItem[] = [
  {
    name: 'Cotton T-shirt',
    type: 'product',
    unit: 'pcs',
    hsn: '6109',
    price: 399,
    taxRate: '5.00',
    taxInclusive: true,
    variants: sizes(20),
  },
  {
    name: 'Denim Jeans',
    type: 'product',
    unit: 'pcs',
    hsn: '6203',
    price: 1299,
    taxRate: '12.00',
    taxInclusive: true,
    variants: sizes(50),
  },
  {
    name: 'Enamel Paint 1L',
    type: 'product',
    unit: 'ltr',
    hsn: '3208',
    price: 450,
    taxRate: '18.00',
    variants: colours,
  },
  { name: 'LED Bulb 9W', type: 'product', unit: 'pcs', hsn: '8539', price: 99, taxRate: '12.00' },
  { name: 'Ceiling Fan', type: 'product', unit: 'pcs', hsn: '8414', price: 2450, taxRate: '18.00' },
  { name: 'Basmati Rice 5kg', type: 'product', unit: 'bag', hsn: '1006', price: 675, taxRate: '5.00' },
  { name: 'Toor Dal 1kg', type: 'product', unit: 'kg', hsn: '0713', price: 142.5, taxRate: '0.00' },
  {
    name: 'Sunflower Oil 1L',
    type: 'product',
    unit: 'ltr',
    hsn: '1512',
    price: 165.75,
    taxRate: '5.00',
    taxInclusive: true,
  },
  { name: 'A4 Copier Paper', type: 'product', unit: 'ream', hsn: '4802', price: 289, taxRate: '12.00' },
  { name: 'Ball Pen (box of 10)', type: 'product', unit: 'box', hsn: '9608', price: 55, taxRate: '18.00' },
  { name: 'Steel Almirah', type: 'product', unit: 'pcs', hsn: '9403', price: 11250, taxRate: '18.00' },
  {
    name: 'Mobile Charger',
    type: 'product',
    unit: 'pcs',
    hsn: '8504',
    price: 349,
    taxRate: '18.00',
    taxInclusive: true,
  },
  {
    name: 'USB Cable',
    type: 'product',
    unit: 'pcs',
    hsn: '8544',
    price: 149,
    taxRate: '18.00',
    taxInclusive: true,
    variants: colours,
  },
  { name: 'Cement 50kg', type: 'product', unit: 'bag', hsn: '2523', price: 385, taxRate: '28.00' },
  { name: 'PVC Pipe 3m', type: 'product', unit: 'pcs', hsn: '3917', price: 212.4, taxRate: '18.00' },
  { name: 'Tea Leaves 500g', type: 'product', unit: 'pkt', hsn: '0902', price: 240, taxRate: '5.00' },
  { name: 'Sugar 1kg', type: 'product', unit: 'kg', hsn: '1701', price: 46.35, taxRate: '5.00' },
  { name: 'Notebook 200pg', type: 'product', unit: 'pcs', hsn: '4820', price: 65, taxRate: '12.00' },
  { name: 'Printer Toner', type: 'product', unit: 'pcs', hsn: '8443', price: 2199, taxRate: '18.00' },
  {
    name: 'Water Purifier',
    type: 'product',
    unit: 'pcs',
    hsn: '8421',
    price: 8999,
    taxRate: '18.00',
    taxInclusive: true,
  },
  { name: 'Installation', type: 'service', unit: 'job', hsn: '9954', price: 500, taxRate: '18.00' },
  { name: 'Annual Maintenance', type: 'service', unit: 'year', hsn: '9987', price: 3600, taxRate: '18.00' },
  { name: 'Delivery Charges', type: 'service', unit: 'trip', hsn: '9965', price: 150, taxRate: '18.00' },
  { name: 'Consulting (hour)', type: 'service', unit: 'hr', hsn: '9983', price: 1200, taxRate: '18.00' },
];

export const EXPENSE_CATEGORIES = [
  'Rent',
  'Electricity',
  'Salaries',
  'Transport',
  'Office Supplies',
  'Internet & Phone',
  'Repairs',
  'Marketing',
];

export const BANKS = [
  { type: 'current' as const, name: 'HDFC Current', bankName: 'HDFC Bank', ifsc: 'HDFC0001234' },
  { type: 'savings' as const, name: 'SBI Savings', bankName: 'State Bank of India', ifsc: 'SBIN0004321' },
  { type: 'upi' as const, name: 'UPI Collections', bankName: 'ICICI Bank', ifsc: 'ICIC0005678' },
];
