import { parseMoney, userError, type Money, type UserError } from '@commerce/platform';

/** Input rules of the catalog's admin mutations, as userErrors (never exceptions). */
export const LIMITS = {
  handle: 100,
  title: 200,
  description: 5000,
  variants: 100,
  sku: 64,
  variantTitle: 100,
  options: 10,
  optionText: 50,
  categories: 20,
  categoryName: 100,
} as const;

const HANDLE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const SKU = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function checkText(value: string, max: number, field: string[], code: string, label: string, required = true): UserError | undefined {
  const v = value.trim();
  if (required && v.length === 0) return userError(code, `${label} must not be empty`, field);
  if (v.length > max) return userError(code, `${label} must be at most ${max} characters`, field);
  return undefined;
}

export function checkHandle(handle: string, field: string[]): UserError | undefined {
  if (handle.length === 0) return userError('INVALID_HANDLE', 'Handle must not be empty', field);
  if (handle.length > LIMITS.handle) return userError('INVALID_HANDLE', `Handle must be at most ${LIMITS.handle} characters`, field);
  if (!HANDLE.test(handle)) return userError('INVALID_HANDLE', 'Handle may contain lower-case letters, digits and single dashes only', field);
  return undefined;
}

export function checkSku(sku: string, field: string[]): UserError | undefined {
  if (sku.length === 0 || sku.length > LIMITS.sku || !SKU.test(sku)) {
    return userError('INVALID_SKU', `SKU must be 1-${LIMITS.sku} letters, digits, '.', '_' or '-'`, field);
  }
  return undefined;
}

const MONEY_MESSAGES: Record<string, string> = {
  INVALID_CURRENCY: 'Currency must be an ISO 4217 code such as USD',
  INVALID_AMOUNT: 'Amount must be a decimal number such as "19.99"',
  NEGATIVE_AMOUNT: 'Amount must not be negative',
  TOO_MANY_DECIMALS: 'Amount has more decimals than the currency allows',
  AMOUNT_TOO_LARGE: 'Amount is too large',
};

/** Parses a price input in the store currency; errors carry code INVALID_PRICE / INVALID_CURRENCY. */
export function checkPrice(input: { amount: string; currencyCode: string }, storeCurrency: string, field: string[]): { money?: Money; error?: UserError } {
  const parsed = parseMoney(input.amount, input.currencyCode);
  if (!parsed.ok) {
    const code = parsed.error === 'INVALID_CURRENCY' ? 'INVALID_CURRENCY' : 'INVALID_PRICE';
    return { error: userError(code, MONEY_MESSAGES[parsed.error] ?? 'Invalid price', field) };
  }
  if (parsed.money.currencyCode !== storeCurrency) {
    return { error: userError('INVALID_CURRENCY', `Prices must be in the store currency ${storeCurrency}`, [...field, 'currencyCode']) };
  }
  return { money: parsed.money };
}
