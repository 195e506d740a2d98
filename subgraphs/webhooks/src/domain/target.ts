import { isIP } from 'node:net';
import { userError, type UserError } from '@commerce/platform';
import { classifyAddress } from './address.ts';

/** Longest accepted target URL. */
export const MAX_URL_LENGTH = 2048;

export interface TargetPolicy {
  /** private, loopback … targets allowed (development and tests; never in production) */
  allowPrivate: boolean;
  /** every address a host name resolves to (the system resolver, as the delivery will use it) */
  resolve(host: string): Promise<string[]>;
}

/** The host of a URL without IPv6 brackets, or the URL's problem. */
export function parseTarget(raw: string): { ok: true; url: URL; host: string } | { ok: false; message: string } {
  if (raw.length > MAX_URL_LENGTH) return { ok: false, message: `the URL is longer than ${MAX_URL_LENGTH} characters` };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, message: 'not an absolute URL' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, message: 'only http and https URLs can receive webhooks' };
  if (url.username || url.password) return { ok: false, message: 'a URL with credentials (user:password@) is not accepted: authenticate with the signature' };
  if (url.hash) return { ok: false, message: 'a URL with a fragment (#…) is not accepted' };
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!host) return { ok: false, message: 'the URL has no host' };
  return { ok: true, url, host };
}

/**
 * The SSRF rule at creation (the delivery checks again, on every connection: see http-sender):
 * http(s) only; unless private targets are allowed, the host must be, or resolve only to, public
 * addresses (no loopback, private, link-local, unique-local, CGNAT, multicast, unspecified,
 * reserved). INVALID_URL for a malformed URL, UNSAFE_URL for a forbidden target.
 */
export async function checkTarget(raw: string, policy: TargetPolicy, field: string[] = ['input', 'url']): Promise<UserError | null> {
  const parsed = parseTarget(raw);
  if (!parsed.ok) return userError('INVALID_URL', parsed.message, field);
  if (policy.allowPrivate) return null;
  const { host } = parsed;
  let addresses: string[];
  if (isIP(host)) {
    addresses = [host];
  } else {
    try {
      addresses = await policy.resolve(host);
    } catch {
      return userError('UNSAFE_URL', `the host ${host} does not resolve`, field);
    }
    if (addresses.length === 0) return userError('UNSAFE_URL', `the host ${host} does not resolve`, field);
  }
  for (const address of addresses) {
    const cls = classifyAddress(address);
    if (cls !== 'public') return userError('UNSAFE_URL', `the target ${isIP(host) ? host : `${host} (${address})`} is a ${cls} address: webhooks go to public addresses only`, field);
  }
  return null;
}
