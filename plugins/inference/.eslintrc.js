module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  testRules: {
    // Test helpers named expect… (e.g. expectDenied) are assertions too.
    'jest/expect-expect': [
      'warn',
      { assertFunctionNames: ['expect', 'expect*'] },
    ],
  },
});
