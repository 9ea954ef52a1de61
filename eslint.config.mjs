// Lint: TypeScript rules plus the architecture's layering, checked by eslint-plugin-boundaries.
//   shared   → shared only (pure TypeScript: no Node, no DOM, no database)
//   renderer → renderer, shared (never main, never the database)
//   main     → main, shared (services never import Electron)
//   app      → app, main, shared (the only code that imports 'electron')
//   demo     → demo, main, shared (src/main/demo: the demo street generator, data for a demo store)
//   node     → main, shared, demo (src/main/node.ts and start.ts assemble a street node; node.ts
//              loads the demo on demand). Product code (main: services, sync, host, db, ai, cli)
//              never imports the demo, not even dynamically.
//   city     → city, shared
import tseslint from 'typescript-eslint';
import boundaries from 'eslint-plugin-boundaries';
import reactHooks from 'eslint-plugin-react-hooks';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

const nodeBuiltins = ['fs', 'path', 'os', 'crypto', 'http', 'https', 'net', 'child_process', 'worker_threads', 'stream', 'url', 'util', 'events'];

/** The whole project is on zod 4 (`zod/v4`); the package's root export is zod 3. */
const ZOD3 = { name: 'zod', message: "Import 'zod/v4': the project is on zod 4 (zod 3 is slower and words its messages differently)." };

/** Bans bare module names exactly (so '../lib/events' stays allowed) and every 'node:' import. */
const restricted = (names, message) => ({
  paths: [...names.map((name) => ({ name, message })), ZOD3],
  patterns: [{ group: ['node:*', ...names.map((n) => `${n}/*`)], message }],
});

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'bench/.data/**', 'test-results/**', 'playwright-report/**'] },
  ...tseslint.configs.recommended,
  {
    // Everywhere; the layer rules below repeat it in their own lists (a later list replaces this one).
    files: ['src/**/*.{ts,tsx}', 'tests/**/*.ts', 'bench/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [ZOD3] }] },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { boundaries },
    settings: {
      'import/resolver': { node: { extensions: ['.ts', '.tsx', '.js', '.mjs'] } },
      'boundaries/include': ['src/**/*'],
      'boundaries/dependency-nodes': ['import', 'dynamic-import', 'export'],
      'boundaries/elements': [
        { type: 'shared', pattern: 'src/shared/**' },
        { type: 'renderer', pattern: 'src/renderer/**' },
        { type: 'app', pattern: 'src/main/app/**' },
        { type: 'demo', pattern: 'src/main/demo/**' },
        { type: 'node', pattern: ['src/main/node.ts', 'src/main/start.ts'], mode: 'file' },
        { type: 'main', pattern: 'src/main/**' },
        { type: 'city', pattern: 'src/city/**' },
      ],
    },
    rules: {
      'boundaries/element-types': [
        'error',
        {
          default: 'disallow',
          message: '${file.type} must not import ${dependency.type} (layering, see eslint.config.mjs)',
          rules: [
            { from: 'shared', allow: ['shared'] },
            { from: 'renderer', allow: ['renderer', 'shared'] },
            { from: 'main', allow: ['main', 'shared'] },
            { from: 'demo', allow: ['demo', 'main', 'shared'] },
            { from: 'node', allow: ['node', 'main', 'shared', 'demo'] },
            { from: 'app', allow: ['app', 'main', 'node', 'shared'] },
            { from: 'city', allow: ['city', 'shared'] },
          ],
        },
      ],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // No import circles anywhere in the product: a module's dependencies always come before it.
    files: ['src/**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.json' })], 'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs'] },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', restricted([...nodeBuiltins, 'electron', 'sqlite3', 'kysely', 'react', 'react-dom'], 'src/shared is pure TypeScript: no Node, DOM, UI or database imports.')],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', restricted([...nodeBuiltins, 'electron', 'sqlite3', 'kysely', 'onnxruntime-node'], 'The renderer talks only to the API contract.')],
    },
  },
  {
    // One load shape (issue #12): a page or panel that shows what the node holds loads it with
    // useLiveQuery (src/renderer/lib/liveQuery.ts: last value, Chinese error, reload on node events,
    // delayMs for as-you-type queries, onLoad for form fills), never with a call inside useEffect.
    // The session (src/renderer/state/session.tsx) is the app's own bootstrap, not a page's load.
    files: ['src/renderer/**/*.{ts,tsx}'],
    ignores: ['src/renderer/state/session.tsx'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.name='useEffect'] CallExpression[callee.name='call']",
          message: "Load through useLiveQuery (src/renderer/lib/liveQuery.ts), not call(...) inside useEffect: it keeps the last value and the Chinese error and reloads on node events.",
        },
      ],
    },
  },
  {
    files: ['src/main/**/*.ts', 'src/city/**/*.ts'],
    ignores: ['src/main/app/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: "Only src/main/app may import 'electron'." }, ZOD3], patterns: [{ group: ['react', 'react-dom'], message: 'No UI in services.' }] }],
    },
  },
  {
    files: ['tests/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
