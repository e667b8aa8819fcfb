/** Unit tests live beside each package (packages/x/test, apps/x/test) and need no services;
 * end-to-end tests (test/) talk to the real PostgreSQL, Redis and the simulator. */
const moduleNameMapper = {
  '^@tapir/(core|db|llm|ledger|formats|clean|pipeline)$': '<rootDir>/packages/$1/src',
  '^@tapir/(llm-sim|cli|worker)$': '<rootDir>/apps/$1/src',
};
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.base.json', diagnostics: false }] };
const common = { testEnvironment: 'node', moduleNameMapper, transform, moduleFileExtensions: ['ts', 'js', 'json'] };

module.exports = {
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  projects: [
    // Some unit tests talk to the simulator over HTTP (hundreds of requests); a busy 2-core CI
    // machine can take longer than jest's 5 s default for them.
    { ...common, displayName: 'unit', testTimeout: 30_000, testMatch: ['<rootDir>/packages/*/test/**/*.test.ts', '<rootDir>/apps/*/test/**/*.test.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.test.ts'], setupFilesAfterEnv: ['<rootDir>/test/support/e2e-setup.ts'] },
  ],
};
