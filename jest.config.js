/** Tests run against a real PostgreSQL (DATABASE_URL, default the local server); see test/setup. */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': 'ts-jest' },
  testMatch: ['**/__tests__/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  setupFiles: ['reflect-metadata'],
  testTimeout: 30000,
};
