/**
 * The failure suite (`npm run test:failure`, part of `npm test`): kills, restarts and starves the API and its database
 * and checks that nothing acknowledged is lost. Separate from the unit and integration tests because it runs processes.
 */
const base = require('./jest.config');

module.exports = {
  ...base,
  testMatch: ['<rootDir>/test/failure/**/*.failure.ts'],
  testTimeout: 180000,
};
