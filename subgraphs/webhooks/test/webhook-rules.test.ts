import { describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { classifyAddress } from '../src/domain/address.ts';
import { deliveryId, daysBetween } from '../src/domain/delivery.ts';
import { decideLowStock } from '../src/domain/low-stock.ts';
import { nextAttemptAt, retryDelayMs, shouldDisable } from '../src/domain/retry.ts';
import { newSigningSecret, signatureHeaders } from '../src/domain/secret.ts';
import { checkTarget } from '../src/domain/target.ts';

describe('the SSRF address classifier', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.254', 'cgnat'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456:789a::1', 'unique-local'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['[::ffff:10.0.0.1]', 'private'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['::127.0.0.1', 'loopback'],
    ['64:ff9b::a9fe:a9fe', 'link-local'],
    ['2002:7f00:1::', 'loopback'],
    ['2001:db8::1', 'reserved'],
    ['not-an-ip', 'invalid'],
  ])('%s is %s', (address, cls) => {
    expect(classifyAddress(address)).toBe(cls);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '2002:0808:0808::1'])('%s is public', (address) => {
    expect(classifyAddress(address)).toBe('public');
  });
});

describe('target URLs', () => {
  const strict = (addresses: Record<string, string[]>) => ({ allowPrivate: false, resolve: async (h: string) => addresses[h] ?? Promise.reject(new Error('ENOTFOUND')) });
  it('refuses what is not an http(s) URL, and URLs with credentials', async () => {
    for (const url of ['ftp://example.com/', 'file:///etc/passwd', 'javascript:alert(1)', 'example.com/hook', 'https://user:pw@example.com/']) {
      expect((await checkTarget(url, strict({})))?.code, url).toBe('INVALID_URL');
    }
  });
  it('in production refuses targets that are, or resolve to, non-public addresses', async () => {
    const policy = strict({ 'hooks.example.com': ['93.184.216.34'], 'rebind.example.com': ['93.184.216.34', '10.0.0.7'], localhost: ['127.0.0.1', '::1'] });
    expect(await checkTarget('https://hooks.example.com/in', policy)).toBeNull();
    for (const url of ['http://127.0.0.1:8080/', 'http://[::1]/', 'http://[::ffff:7f00:1]/', 'http://0x7f.1/', 'http://2130706433/', 'http://169.254.169.254/latest/meta-data', 'https://rebind.example.com/', 'http://localhost/', 'https://nowhere.example.com/']) {
      expect((await checkTarget(url, policy))?.code, url).toBe('UNSAFE_URL');
    }
  });
  it('outside production allows private targets', async () => {
    expect(await checkTarget('http://127.0.0.1:9/', { allowPrivate: true, resolve: async () => [] })).toBeNull();
  });
});

describe('signing', () => {
  it('makes Standard Webhooks secrets and signatures that the standardwebhooks library verifies', () => {
    const secret = newSigningSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(secret.slice(6), 'base64').length).toBeGreaterThanOrEqual(24);
    const body = JSON.stringify({ type: 'product.price_changed', timestamp: new Date().toISOString(), data: { a: 1 } });
    const headers = signatureHeaders([secret], 'msg_1', new Date(), body);
    expect(headers['webhook-signature']).toMatch(/^v1,/);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    // a rotation's overlap: two signatures, either secret verifies
    const next = newSigningSecret();
    const both = signatureHeaders([next, secret], 'msg_1', new Date(), body);
    expect(new Webhook(secret).verify(body, both)).toBeTruthy();
    expect(new Webhook(next).verify(body, both)).toBeTruthy();
    expect(() => new Webhook(newSigningSecret()).verify(body, both)).toThrow();
  });
  it('gives a delivery the same id for the same subscription and event', () => {
    expect(deliveryId('whsub_a', 'e1')).toBe(deliveryId('whsub_a', 'e1'));
    expect(deliveryId('whsub_a', 'e1')).not.toBe(deliveryId('whsub_b', 'e1'));
    expect(deliveryId('whsub_a', 'e1')).toMatch(/^msg_[A-Za-z0-9_-]{32}$/);
  });
});

describe('retries and auto-disable', () => {
  const policy = { baseMs: 5000, maxDelayMs: 3_600_000, windowMs: 86_400_000 };
  it('backs off exponentially with full jitter, capped', () => {
    expect(retryDelayMs(policy, 1, () => 1)).toBe(5000);
    expect(retryDelayMs(policy, 4, () => 1)).toBe(40_000);
    expect(retryDelayMs(policy, 30, () => 1)).toBe(3_600_000);
    expect(retryDelayMs(policy, 4, () => 0.5)).toBe(20_000);
    expect(retryDelayMs(policy, 4, () => 0)).toBe(1000); // the floor
  });
  it('stops retrying when the window is over', () => {
    const start = new Date('2026-01-01T00:00:00Z');
    expect(nextAttemptAt(policy, 3, start, new Date(start.getTime() + 3600_000), () => 1)).not.toBeNull();
    expect(nextAttemptAt(policy, 30, start, new Date(start.getTime() + 86_000_000), () => 1)).toBeNull();
  });
  it('disables after enough failures for long enough', () => {
    const since = new Date('2026-01-01T00:00:00Z');
    const rule = { minFailures: 10, afterMs: 86_400_000 };
    expect(shouldDisable(rule, { failures: 50, since }, new Date(since.getTime() + 3600_000))).toBe(false);
    expect(shouldDisable(rule, { failures: 3, since }, new Date(since.getTime() + 90_000_000))).toBe(false);
    expect(shouldDisable(rule, { failures: 10, since }, new Date(since.getTime() + 86_400_000))).toBe(true);
  });
  it('lists UTC days newest first', () => {
    expect(daysBetween(new Date('2026-01-30T23:00:00Z'), new Date('2026-02-01T01:00:00Z'))).toEqual(['2026-02-01', '2026-01-31', '2026-01-30']);
  });
});

describe('low stock', () => {
  const now = new Date();
  it('fires when the level crosses below the threshold, once, and the same again on a redelivery', () => {
    const first = decideLowStock(null, { id: 'e1', variantId: 'var_1', available: 10 }, 5, now);
    expect(first.crossed).toBe(false);
    const down = decideLowStock(first.next, { id: 'e2', variantId: 'var_1', available: 4 }, 5, now);
    expect(down.crossed).toBe(true);
    expect(decideLowStock(down.next, { id: 'e2', variantId: 'var_1', available: 4 }, 5, now).crossed).toBe(true); // redelivered
    expect(decideLowStock(down.next, { id: 'e3', variantId: 'var_1', available: 2 }, 5, now).crossed).toBe(false); // still below
    expect(decideLowStock(null, { id: 'e4', variantId: 'var_2', available: 0 }, 5, now).crossed).toBe(true); // first seen below
  });
});
