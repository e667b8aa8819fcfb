/** Unit tests live beside each package (packages/x/test, apps/x/test) and need no services;
 * end-to-end tests (test/) talk to the real PostgreSQL, Redis and the simulator. */
const moduleNameMapper = {
  '^@tapir/(core|db|llm|ledger|formats|clean|pipeline)$': '<rootDir>/packages/$1/src',
  '^@tapir/(llm-sim|cli|worker|dashboard)$': '<rootDir>/apps/$1/src',
};
// Jest's module registry cannot run a real import() without --experimental-vm-modules, so under
// jest the ESM-only packages (hyparquet) are transpiled to CommonJS and import() becomes require().
const ESM_ONLY = ['hyparquet', 'hyparquet-writer'];
const jestTs = ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json', diagnostics: false }];
const transform = { '^.+\\.ts$': jestTs, [`/node_modules/(${ESM_ONLY.join('|')})/.+\\.js$`]: jestTs };
const transformIgnorePatterns = [`/node_modules/(?!(${ESM_ONLY.join('|')})/)`];
const common = { testEnvironment: 'node', moduleNameMapper, transform, transformIgnorePatterns, moduleFileExtensions: ['ts', 'js', 'json'] };

module.exports = {
  // Two workers on the 2-core CI machine: most end-to-end files wait on simulated model latency
  // and child processes rather than on the CPU, so a second worker roughly halves the wall time.
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  projects: [
    // Some unit tests talk to the simulator over HTTP (hundreds of requests); a busy 2-core CI
    // machine can take longer than jest's 5 s default for them.
    { ...common, displayName: 'unit', testTimeout: 30_000, testMatch: ['<rootDir>/packages/*/test/**/*.test.ts', '<rootDir>/apps/*/test/**/*.test.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.test.ts'], setupFilesAfterEnv: ['<rootDir>/test/support/e2e-setup.ts'] },
  ],
};
