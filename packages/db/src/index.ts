export * from './schema';
export * from './connection';
export * from './migrate';
export * from './service-error';
export * from './connection-retry';
export * from './copy-text';
export * from './copy-in';
export * from './client-transaction';
