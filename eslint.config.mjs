// ESLint (flat config) with typescript-eslint's type-checked rules; `npm run lint` (part of `npm test`) allows no
// warning. The layering is checked too: data flows SSB → etl/ → db/ → src/ and nothing flows back up; core/ is
// the domain every layer shares and depends on none of them.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const layer = (...forbidden) => ({
  'no-restricted-imports': ['error', { patterns: forbidden.map(([group, message]) => ({ group, message })) }],
});
const TESTS = ['**/test/**', 'test/**'];
const TOOLS = ['**/tools/**', 'tools/**'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'eslint.config.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // Apollo's plugin hooks and DataLoader's batch functions must return promises; `async` without `await` is the
      // plainest way to write them.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['core/**/*.ts'],
    rules: layer([['**/etl/**', '**/db/**', '**/src/**', ...TOOLS, ...TESTS], 'core/ is the domain: it depends on no other layer']),
  },
  {
    files: ['db/**/*.ts', 'ormconfig.ts'],
    rules: layer([['**/etl/**', '**/src/**', ...TOOLS, ...TESTS], 'db/ depends on core/ only']),
  },
  {
    files: ['etl/**/*.ts'],
    rules: layer([['**/src/**', ...TOOLS, ...TESTS], 'etl/ depends on core/ and db/ only']),
  },
  {
    files: ['src/**/*.ts'],
    rules: layer([['**/etl/*', '**/etl/**/*', ...TOOLS, ...TESTS], 'src/ reaches the ETL only through its entry point (import from etl, i.e. etl/index.ts)']),
  },
  {
    // Tests read untyped JSON (GraphQL answers, SSB responses, stand-in bodies) and assert on its shape; typing each
    // answer would only restate the assertion. Product code keeps every rule.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
