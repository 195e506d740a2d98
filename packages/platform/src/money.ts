/**
 * Money is an integer amount in minor units plus an ISO 4217 code internally, and a decimal
 * string on the API. Never floats.
 */
export interface Money {
  amount: number; // minor units (cents)
  currencyCode: string;
}

const exponentCache = new Map<string, number>();

/** Minor-unit exponent of a currency (2 for USD, 0 for JPY); undefined for a malformed code. */
export function currencyExponent(code: string): number | undefined {
  if (!/^[A-Z]{3}$/.test(code)) return undefined;
  let exp = exponentCache.get(code);
  if (exp === undefined) {
    try {
      exp = new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      return undefined;
    }
    exponentCache.set(code, exp);
  }
  return exp;
}

export type MoneyParseError = 'INVALID_CURRENCY' | 'INVALID_AMOUNT' | 'NEGATIVE_AMOUNT' | 'TOO_MANY_DECIMALS' | 'AMOUNT_TOO_LARGE';

/** Parses `{ amount: "19.99", currencyCode: "USD" }` into minor units, exactly (no float math). */
export function parseMoney(amount: string, currencyCode: string): { ok: true; money: Money } | { ok: false; error: MoneyParseError } {
  const exp = currencyExponent(currencyCode);
  if (exp === undefined) return { ok: false, error: 'INVALID_CURRENCY' };
  const m = /^(-)?(\d{1,12})(?:\.(\d+))?$/.exec(amount.trim());
  if (!m) return { ok: false, error: /^-?\d{13,}/.test(amount.trim()) ? 'AMOUNT_TOO_LARGE' : 'INVALID_AMOUNT' };
  if (m[1]) return { ok: false, error: 'NEGATIVE_AMOUNT' };
  const frac = (m[3] ?? '').replace(/0+$/, '');
  if (frac.length > exp) return { ok: false, error: 'TOO_MANY_DECIMALS' };
  const minor = Number(m[2]) * 10 ** exp + Number(frac.padEnd(exp, '0') || '0');
  if (!Number.isSafeInteger(minor)) return { ok: false, error: 'AMOUNT_TOO_LARGE' };
  return { ok: true, money: { amount: minor, currencyCode } };
}

/** Minor units → the API's decimal string ("19.99", "1000" for JPY). */
export function formatAmount(minor: number, currencyCode: string): string {
  const exp = currencyExponent(currencyCode) ?? 2;
  if (exp === 0) return String(minor);
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  const whole = Math.floor(abs / 10 ** exp);
  const frac = String(abs % 10 ** exp).padStart(exp, '0');
  return `${sign}${whole}.${frac}`;
}

/** The API shape of Money. */
export function toApiMoney(money: Money): { amount: string; currencyCode: string } {
  return { amount: formatAmount(money.amount, money.currencyCode), currencyCode: money.currencyCode };
}
