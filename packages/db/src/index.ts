export * from './schema';
export * from './connection';
export * from './migrate';
export * from './service-error';
export * from './connection-retry';
