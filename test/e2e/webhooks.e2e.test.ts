import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { eventually, gql, uniqueSuffix } from '@commerce/testing';
import { apiSchemaOf, generateManifest, type PersistedQueryManifest } from '../../scripts/lib/manifest.ts';
import { send, startPlatform, type Platform } from './platform.ts';
import { Shop } from './shop.ts';

/**
 * Partner webhooks through the router: a partner (API key, a published manifest with the webhook
 * operations of test/contract/webhooks.graphql) subscribes to product.price_changed; an admin
 * changes a price; the partner's receiver gets a delivery it verifies with standardwebhooks, and
 * the partner reads it in its delivery log.
 */
const ROOT = join(import.meta.dirname, '..', '..');
let platform: Platform;
let shop: Shop;
let manifest: PersistedQueryManifest;
let server: Server;
const received: Array<{ id: string; body: string; headers: Record<string, string> }> = [];

beforeAll(async () => {
  platform = await startPlatform({ seedProducts: 0 });
  shop = new Shop(platform);
  // the partner's manifest: the webhook operations of the contract
  const dir = mkdtempSync(join(tmpdir(), 'webhooks-partner-'));
  writeFileSync(join(dir, 'webhooks.graphql'), readFileSync(join(ROOT, 'test', 'contract', 'webhooks.graphql'), 'utf8'));
  manifest = generateManifest(dir, apiSchemaOf(readFileSync(join(ROOT, 'schema', 'supergraph.graphql'), 'utf8')));
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ id: String(req.headers['webhook-id']), body: Buffer.concat(chunks).toString('utf8'), headers: req.headers as Record<string, string> });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
}, 120_000);
afterAll(async () => {
  await new Promise<void>((r) => server?.close(() => r()));
  await platform?.stop();
});

describe('partner webhooks through the router', () => {
  it('a partner subscribes to price changes and receives a signed delivery when an admin changes a price', async () => {
    const admin = await shop.admin();
    const created = await gql<any>(platform.router.url, 'mutation ($name: String!) { createPartner(name: $name) { partner { id } apiKey userErrors { code } } }', { name: `Hooks ${uniqueSuffix()}` }, { authorization: `Bearer ${admin}` });
    const { partner, apiKey } = created.data!.createPartner;
    const published = await gql<any>(platform.router.url, 'mutation ($id: ID!, $m: String!) { publishPersistedQueries(partnerId: $id, manifest: $m) { operationCount userErrors { code } } }', { id: partner.id, m: JSON.stringify(manifest) }, { authorization: `Bearer ${admin}` });
    expect(published.data!.publishPersistedQueries.userErrors).toEqual([]);
    const asPartner = (name: string, variables: Record<string, unknown> = {}) => {
      const op = manifest.operations.find((o) => o.name === name)!;
      return fetch(platform.router.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
        body: JSON.stringify({ operationName: name, variables, extensions: { persistedQuery: { version: 1, sha256Hash: op.id } } }),
      }).then((r) => r.json() as Promise<{ data?: any; errors?: Array<{ message: string; extensions?: { code?: string } }> }>);
    };

    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/partner/hooks`;
    const sub = await asPartner('CreateWebhookSubscription', { input: { url, eventTypes: ['product.price_changed'] } });
    expect(sub.errors).toBeUndefined();
    const { subscription, secret } = sub.data.createWebhookSubscription;
    expect(subscription).toMatchObject({ partnerId: partner.id, status: 'ACTIVE', eventTypes: ['product.price_changed'] });
    expect(secret).toMatch(/^whsec_/);
    // the partner sees its own subscriptions only (no secret in them)
    const listed = await asPartner('WebhookSubscriptions', { first: 10 });
    expect(listed.data.webhookSubscriptions.nodes.map((s: { id: string }) => s.id)).toEqual([subscription.id]);
    expect(JSON.stringify(listed)).not.toContain(secret.slice(6));

    const { variantId, productId } = await shop.product({ price: '10.00' });
    const changed = await send(platform, 'SetVariantPrice', { variantId, price: { amount: '12.50', currencyCode: 'USD' } }, admin);
    expect(changed.data!.setVariantPrice.userErrors).toEqual([]);

    const delivery = await eventually(async () => received.find((r) => JSON.parse(r.body).data.variantId === variantId), 30_000, 100);
    const payload = new Webhook(secret).verify(delivery.body, delivery.headers) as { type: string; timestamp: string; data: Record<string, unknown> };
    expect(payload).toMatchObject({ type: 'product.price_changed', data: { schemaVersion: 1, productId, variantId, price: { amount: '12.50', currencyCode: 'USD' }, previousPrice: { amount: '10.00', currencyCode: 'USD' } } });
    expect(delivery.id).toMatch(/^msg_/);
    expect(() => new Webhook(`whsec_${Buffer.alloc(32, 7).toString('base64')}`).verify(delivery.body, delivery.headers)).toThrow();

    // the delivery log, through the router, as the partner
    const log = await eventually(async () => {
      const r = await asPartner('WebhookDeliveries', { subscriptionId: subscription.id, first: 10 });
      const d = r.data?.webhookDeliveries.nodes.find((n: { id: string }) => n.id === delivery.id);
      return d?.status === 'SUCCEEDED' ? d : null;
    }, 15_000, 200);
    expect(log).toMatchObject({ eventType: 'product.price_changed', attempts: 1, lastResponseStatus: 204 });
    expect(log.attemptLog).toHaveLength(1);

    // a customer may not manage webhooks
    const customer = await shop.customer();
    const refused = await send(platform, 'WebhookSubscriptions', { partnerId: partner.id }, customer.token);
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  }, 90_000);
});
