// Root ESLint flat config. Type-aware rules are errors; Nx module boundaries carry the architecture:
//   type:app       - a deployable service; depends on platform, messaging, contracts (+ testing in specs)
//   type:platform  - shared NestJS platform code (config, persistence, health, HTTP, security) (+ testing in specs)
//   type:messaging - outbox/relay/inbox behind the project's own interface; kafkajs lives only here
//   type:contracts - the public event contract: no Nest, no TypeORM, no Kafka client
//   type:domain    - clinical rules as pure functions of dated facts (care-rules): no framework, no clock
//   type:testing   - helpers for integration tests against real infrastructure
//   type:tool      - workspace tooling (infrastructure, observability); test helpers reuse it to start brokers
//   type:e2e       - the demo and the end-to-end suite: drive the running services over HTTP and Kafka only
//   type:api-model - browser-safe, dependency-free shapes both sides of the HTTP API share: who may do what (roles,
//                    permissions) and answers the OpenAPI documents do not describe yet; no Node, no framework
//   type:web       - the staff console (a browser app and its static server): talks to the services over HTTP only,
//                    and shares with them only the api-model library
// Apps are never allowed as a dependency of anything, so an import from one app into another fails lint.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import { builtinModules } from 'node:module';

const frameworkPackages = ['@nestjs/*', 'typeorm', 'pg', 'kafkajs', 'ioredis', 'express'];

/** Tag constraints; test files may additionally use the testing library (production code never). */
function boundaries({ inTests }) {
  const testing = inTests ? ['type:testing'] : [];
  return {
    enforceBuildableLibDependency: true,
    banTransitiveDependencies: true,
    allow: [],
    depConstraints: [
      {
        sourceTag: 'type:app',
        onlyDependOnLibsWithTags: [
          'type:platform',
          'type:messaging',
          'type:contracts',
          'type:domain',
          'type:api-model',
          ...testing,
        ],
      },
      {
        sourceTag: 'type:platform',
        onlyDependOnLibsWithTags: ['type:platform', 'type:contracts', 'type:api-model', ...testing],
      },
      // Shared with the browser console: depends on nothing, imports no framework (nor Node: see below).
      { sourceTag: 'type:api-model', onlyDependOnLibsWithTags: [], bannedExternalImports: frameworkPackages },
      {
        sourceTag: 'type:messaging',
        onlyDependOnLibsWithTags: ['type:platform', 'type:contracts', ...testing],
      },
      { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: [], bannedExternalImports: frameworkPackages },
      {
        sourceTag: 'type:domain',
        onlyDependOnLibsWithTags: ['type:contracts', ...testing],
        bannedExternalImports: frameworkPackages,
      },
      {
        sourceTag: 'type:testing',
        onlyDependOnLibsWithTags: ['type:platform', 'type:messaging', 'type:contracts', 'type:tool'],
      },
      // Tools share the infrastructure tool's code: the manifests' generator (k8s) sets the database up with its
      // statements, and observability's rule tests fetch promtool with it.
      { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:contracts', 'type:tool', ...testing] },
      // Only the public surface: the event contract, the infrastructure tool and the published clinical rules
      // (the cohort plans on their calendar, and its test checks the plan against them), never a service's code.
      {
        sourceTag: 'type:e2e',
        onlyDependOnLibsWithTags: ['type:contracts', 'type:domain', 'type:tool', ...testing],
      },
      // The console runs in a browser: no library of the services (they carry Nest, TypeORM and Node), only the
      // services' HTTP APIs through clients generated from their OpenAPI documents, and the api-model library:
      // the role/permission table and answer shapes the services use themselves, so the two cannot drift.
      {
        sourceTag: 'type:web',
        onlyDependOnLibsWithTags: ['type:api-model'],
        bannedExternalImports: frameworkPackages,
      },
      {
        sourceTag: 'type:bench',
        onlyDependOnLibsWithTags: ['type:messaging', 'type:platform', 'type:contracts', 'type:tool'],
      },
    ],
  };
}

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    ignores: [
      '**/dist',
      '**/node_modules',
      '**/coverage',
      '**/tmp',
      '.nx',
      '.infra',
      '**/*.cjs',
      '**/*.mjs',
      '**/webpack.config.js',
      'apps/console/src/api/generated',
    ],
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@nx/enforce-module-boundaries': ['error', boundaries({ inTests: false })],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: false },
      ],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/explicit-module-boundary-types': 'error',
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name=/^(it|describe|test)$/][callee.property.name='only']",
          message: 'Focused tests skip the rest of the suite; remove .only.',
        },
        {
          selector: "Property[key.name='synchronize'][value.value=true]",
          message: 'Schema changes go through migrations; never synchronize.',
        },
      ],
      'no-console': 'error',
    },
  },
  {
    // Jest mocks are loosely typed by design; keep the promise rules, relax what fights test doubles. An app's
    // src/testing/ folder is test support (fixtures, fakes), never imported by production code nor bundled.
    files: ['**/*.spec.ts', '**/*.spec.tsx', '**/*.int-spec.ts', 'apps/*/src/testing/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': ['error', boundaries({ inTests: true })],
      '@typescript-eslint/explicit-module-boundary-types': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // The api-model library is bundled for the browser: Node's own modules (which the module-boundary rule does
    // not see, being no package) are refused here, as its tsconfig.lib.json (no Node types) refuses them too.
    files: ['libs/api-model/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: builtinModules.map((name) => ({ name, message: 'libs/api-model runs in the browser too.' })),
          patterns: [{ group: ['node:*'], message: 'libs/api-model runs in the browser too.' }],
        },
      ],
    },
  },
  {
    // Command-line tools print for humans.
    files: [
      'tools/**/*.ts',
      'k8s/src/generate.ts',
      'k8s/src/import-crds.ts',
      '**/src/cli/**/*.ts',
      '**/scripts/**/*.ts',
    ],
    rules: { 'no-console': 'off' },
  },
  prettier,
];
