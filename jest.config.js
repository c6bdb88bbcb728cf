// ESM Jest (see ../shared/docs/STACK.md): run through `NODE_OPTIONS=--experimental-vm-modules jest`.
// The swagger CLI plugin runs in tests as at build, so a test app's /api/docs-json documents every DTO field.
const astTransformers = { before: ['<rootDir>/test/support/swagger-plugin.cjs'] };
const tsJest = ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json', diagnostics: { warnOnly: false }, astTransformers }];
const common = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    '^content-disposition$': '<rootDir>/test/support/content-disposition.cjs',
  },
  transform: { '^.+\\.ts$': tsJest },
  testEnvironment: 'node',
};
export default {
  // Per-project testTimeout is not applied by Jest 30; set it once here (e2e set-up builds whole contests).
  testTimeout: 120000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/unit/**/*.spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'] },
  ],
};
