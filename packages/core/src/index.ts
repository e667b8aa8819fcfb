export * from './chat';
export * from './normalize';
