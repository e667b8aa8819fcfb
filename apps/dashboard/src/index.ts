export * from './dashboard-server';
export * from './access-token';
export * from './bind-policy';
export * from './spend-projection';
export * from './prometheus-families';
export * from './timeline-series';
export * from './category-stage-matrix';
export * from './model-endpoints';
export { dashboardApp } from './dashboard-app';
