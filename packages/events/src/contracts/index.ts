/** Every event contract of the platform, one file per event. Subjects come from here only. */
export { ProductCreated, productSnapshotSchema, variantSnapshotSchema } from './catalog/product-created.event.ts';
export { VariantPriceChanged } from './catalog/variant-price-changed.event.ts';
export { CategoryCreated } from './catalog/category-created.event.ts';
export { CustomerRegistered } from './customers/customer-registered.event.ts';
export { moneySchema } from './shared.ts';
