import { eventually, uniqueSuffix } from '@commerce/testing';
import { send, type Platform } from './platform.ts';

/** Storefront and back-office steps as clients perform them, through the router. */
export class Shop {
  private adminToken?: string;
  constructor(readonly platform: Platform) {}

  async admin(): Promise<string> {
    if (!this.adminToken) {
      const r = await send<any>(this.platform, 'LogIn', { email: 'admin@example.com', password: 'admin-password' });
      this.adminToken = r.data!.logIn.accessToken as string;
    }
    return this.adminToken;
  }

  async customer(): Promise<{ token: string; id: string }> {
    const r = await send<any>(this.platform, 'SignUp', { input: { email: `buyer-${uniqueSuffix()}@example.com`, password: 'a long enough password', name: 'Buyer' } });
    return { token: r.data!.signUp.accessToken, id: r.data!.signUp.customer.id };
  }

  /** A new product with one variant at `price`, and `stock` units on hand. */
  async product(opts: { price?: string; stock?: number; title?: string } = {}): Promise<{ productId: string; variantId: string; handle: string; sku: string }> {
    const s = uniqueSuffix();
    const handle = `e2e-${s}`;
    const r = await send<any>(
      this.platform,
      'CreateProduct',
      { input: { handle, title: opts.title ?? `Checkout Item ${s}`, variants: [{ sku: `CHK-${s}`, title: 'Default', price: { amount: opts.price ?? '10.00', currencyCode: 'USD' } }] } },
      await this.admin(),
    );
    const product = r.data!.createProduct.product;
    const variantId = product.variants[0].id as string;
    if (opts.stock !== undefined) await this.setStock(variantId, opts.stock);
    return { productId: product.id, variantId, handle, sku: product.variants[0].sku };
  }

  async setStock(variantId: string, quantity: number): Promise<void> {
    const r = await send<any>(this.platform, 'SetStock', { variantId, quantity }, await this.admin());
    if (r.data?.setStock?.userErrors?.length || r.errors) throw new Error(`setStock: ${JSON.stringify(r.errors ?? r.data.setStock.userErrors)}`);
  }

  async available(handle: string): Promise<number> {
    const r = await send<any>(this.platform, 'ProductPage', { handle });
    return r.data!.product.variants[0].availability.quantityAvailable as number;
  }

  /** A cart with `quantity` of the variant; waits until the cart's read model knows the variant and its stock. */
  async cartWith(token: string, variantId: string, quantity = 1): Promise<string> {
    const cart = await send<any>(this.platform, 'CreateCart', {}, token);
    const cartId = cart.data!.createCart.id as string;
    await eventually(async () => {
      const r = await send<any>(this.platform, 'AddToCart', { cartId, variantId, quantity }, token);
      const errors = r.data?.addToCart?.userErrors ?? [{ code: 'ERROR' }];
      return errors.length === 0;
    }, 5000, 25);
    return cartId;
  }

  async placeOrder(token: string, cartId: string, opts: { paymentToken?: string; idempotencyKey?: string } = {}): Promise<any> {
    return send<any>(
      this.platform,
      'PlaceOrder',
      {
        input: {
          cartId,
          paymentToken: opts.paymentToken ?? 'tok_visa',
          idempotencyKey: opts.idempotencyKey ?? `key-${uniqueSuffix()}`,
          shippingAddress: { name: 'Buyer', line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' },
        },
      },
      token,
    );
  }

  async order(token: string, id: string): Promise<any> {
    return (await send<any>(this.platform, 'Order', { id }, token)).data?.order;
  }

  /** Polls until the order is CONFIRMED or CANCELLED (every 250 ms: polling loads the same 2 cores). */
  async settled(token: string, id: string, timeoutMs = 30_000): Promise<any> {
    return eventually(async () => {
      const o = await this.order(token, id);
      return o && o.status !== 'PENDING' ? o : undefined;
    }, timeoutMs, 250);
  }
}
