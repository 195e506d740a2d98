import type { Proc } from '../lib/cluster.ts';
import { expectData, load } from '../lib/load.ts';

export interface ScaleSample {
  products: number;
  listingP50: number;
  listingP99: number;
  searchP50: number;
  searchP99: number;
}

const LISTING = `query ScaleListing($after: String) { products(first: 20, after: $after, sort: PRICE_ASC) { totalCount edges { node { id handle title priceRange { minVariantPrice { amount currencyCode } } } } } }`;
const SEARCH = `query ScaleSearch($q: String!) { products(first: 20, filter: { search: $q }) { totalCount edges { node { id handle title } } facets { categories { category { id name } count } priceRanges { min { amount } max { amount } count } } } }`;

/** Catalog-only listing (sorted by price) and full-text search through the router, 8 connections. */
export async function sampleCatalog(router: Proc, products: number, opts: { seconds: number }): Promise<ScaleSample> {
  const first = await expectData(router.url, { query: LISTING });
  if (first.products.totalCount < products) throw new Error(`catalog holds ${first.products.totalCount} products, expected ${products}`);
  // a word of a product title: found in many products, like a shopper's query
  const word = String(first.products.edges[0].node.title).split(/\s+/)[0]!.toLowerCase();
  await expectData(router.url, { query: SEARCH, variables: { q: word } });
  const listing = await load(router.url, { query: LISTING }, { connections: 8, seconds: opts.seconds });
  const search = await load(router.url, { query: SEARCH, variables: { q: word } }, { connections: 8, seconds: opts.seconds });
  return { products, listingP50: listing.p50, listingP99: listing.p99, searchP50: search.p50, searchP99: search.p99 };
}
