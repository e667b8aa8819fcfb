export { main } from './main';
export { buildProgram } from './program';
export { driveCampaign } from './commands/run';
export { formatStatus } from './format-status';
