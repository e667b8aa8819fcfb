export * from './ledger';
export * from './send-hook';
export * from './worst-case';
export * from './budget';
export * from './budget-hook';
export * from './campaign-halted-error';
export * from './lease-keeper';
export * from './abandoned-calls';
