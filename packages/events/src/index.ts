export * from './envelope.ts';
export * from './contract.ts';
export * from './bus.ts';
export * from './outbox.ts';
export * from './consumer.ts';
export * from './metrics.ts';
export * from './tail.ts';
