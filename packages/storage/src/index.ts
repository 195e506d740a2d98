export * from './storage.ts';
export * from './time-buckets.ts';
