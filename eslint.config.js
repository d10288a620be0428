// ESLint: the TypeScript rules that catch real mistakes (floating promises, misused awaits,
// unused code), not taste; formatting is Prettier's (.prettierrc.json). Both run in `npm test`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'dist-openapi/**',
      'coverage/**',
      'src/generated/**',
      'clients/typescript/dist/**',
      'clients/typescript/src/schema.d.ts',
      '.cache/**',
      'prisma/offline-migrate/.work/**',
      'build/**',
      '**/native/build/**',
      'dist-cli/**',
      'test-artifacts/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['prisma/offline-migrate/*.ts'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Nest's DI and libvirt's binding hand us loosely typed values in a few places.
      '@typescript-eslint/no-explicit-any': 'off',
      // A timer cleared by a callback declared before it is set.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // Input validators match control characters on purpose.
      'no-control-regex': 'off',
    },
  },
  {
    // The web console: browser modules, no build step.
    files: ['console/**/*.js'],
    languageOptions: {
      sourceType: 'module',
      globals: Object.fromEntries(
        [
          'window',
          'document',
          'location',
          'history',
          'sessionStorage',
          'fetch',
          'URL',
          'URLSearchParams',
          'AbortController',
          'TextDecoder',
          'TextDecoderStream',
          'Event',
          'Node',
          'confirm',
          'console',
          'setTimeout',
          'clearTimeout',
          'setInterval',
          'clearInterval',
        ].map((name) => [name, 'readonly']),
      ),
    },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: {
      globals: {
        global: 'readonly',
        process: 'readonly',
        console: 'readonly',
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        fetch: 'readonly',
        document: 'readonly',
        window: 'readonly',
      },
    },
  },
);
