// Lint, including the process boundaries of DESIGN.md: the renderer imports only shared/ and browser packages;
// shared/ imports neither Node nor the DOM; only electron/main.ts and preload.ts import electron; the server
// never imports electron/ or renderer/; node/ (Node-side code the desk's core and the server share) imports none of
// electron/, server/ or renderer/. Inside electron/ the layers run one way:
//   store < vault, matching, search, mi, attachments, sync < core < api < hosts (cli, host/, main.ts, preload.ts)
// so a module may import its own layer's folder and those below, never above or beside (static imports,
// dynamic import() and require() alike).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const NODE_BUILTINS = ['assert', 'buffer', 'child_process', 'cluster', 'crypto', 'dgram', 'dns', 'events', 'fs', 'fs/promises', 'http', 'https', 'net', 'os', 'path', 'process', 'readline', 'stream', 'tls', 'url', 'util', 'v8', 'vm', 'worker_threads', 'zlib'];
const nodeImports = { group: ['node:*', ...NODE_BUILTINS], message: 'Node modules are not available here (process boundary, DESIGN.md).' };
const nativeImports = { group: ['better-sqlite3', 'better-sqlite3-*', 'sharp', 'tesseract.js-core', '@napi-rs/*', '@electric-sql/*', 'pg'], message: 'Native and server packages belong to the core, never here.' };
const electronPackage = { name: 'electron', message: 'Only electron/main.ts and electron/preload.ts may import electron.' };
const electronSubpaths = { group: ['electron/*'], message: 'Only electron/main.ts and electron/preload.ts may import electron.' };

// The layers of electron/, lowest first. A folder may import its own folder and lower layers only.
const LAYERS = [['store'], ['vault', 'matching', 'search', 'mi', 'attachments', 'sync'], ['core'], ['api'], ['cli', 'host', 'cli.ts', 'main.ts', 'preload.ts']];
const layerMessage = (folder) => `electron/${folder} may import only lower layers (store < vault, matching, search, mi, attachments, sync < core < api < hosts); move the code down or pass what it needs in.`;
/** An import specifier that climbs out of the folder into a forbidden one: "../core/x.ts", "../../electron/api/y.ts". */
const forbiddenRegex = (folder) => {
  const level = LAYERS.findIndex((l) => l.includes(folder));
  const names = LAYERS.flatMap((l, i) => (i > level || (i === level && l.length > 1) ? l.filter((f) => f !== folder) : []));
  const alternatives = names.map((f) => (f.endsWith('.ts') ? f.replace('.', '\\.') + '$' : `${f}/`));
  return `^(\\.\\./)+(electron/)?(${alternatives.join('|')})`;
};
const layerRules = (folder) => {
  const regex = forbiddenRegex(folder);
  // esquery reads a regular expression up to its first slash: spell the slashes as [/] there.
  const selectorRegex = regex.replace(/\//g, '[/]');
  return {
    'no-restricted-imports': ['error', { paths: [electronPackage], patterns: [electronSubpaths, { regex, message: layerMessage(folder) }] }],
    'no-restricted-syntax': [
      'error',
      { selector: `ImportExpression[source.value=/${selectorRegex}/]`, message: layerMessage(folder) },
      { selector: `CallExpression[callee.name='require'][arguments.0.value=/${selectorRegex}/]`, message: layerMessage(folder) },
      { selector: "CallExpression[callee.name='require'][arguments.0.value=/^electron([/]|$)/]", message: electronPackage.message },
      { selector: "ImportExpression[source.value=/^electron([/]|$)/]", message: electronPackage.message },
    ],
  };
};

const rendererPatterns = [
  nodeImports,
  nativeImports,
  { group: ['**/electron/**', '**/server/**'], message: 'The renderer reaches the core only through the API client (window.ims or the browser host).' },
];
// A bare Mantine Loader is a span that cannot carry a name, so a screen reader meets silence (axe: aria-prohibited-attr).
const bareSpinner = { name: '@mantine/core', importNames: ['Loader'], message: 'Use <Busy label=…> (components/Busy.tsx): a spinner says what is happening.' };

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'coverage/**', 'tests/e2e/screenshots/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-control-regex': 'off',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    files: ['electron/**/*.ts', 'server/**/*.ts', 'bench/**/*.ts', 'build/**/*.ts', 'tests/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [electronPackage] }] },
  },
  ...['store', 'vault', 'matching', 'search', 'mi', 'attachments', 'sync', 'core', 'api'].map((folder) => ({ files: [`electron/${folder}/**/*.ts`], rules: layerRules(folder) })),
  // core/core.ts composes the use-cases; they take the narrow capabilities they need (core/deps.ts), not the Core.
  {
    files: ['electron/core/**/*.ts'],
    ignores: ['electron/core/core.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronPackage],
          patterns: [electronSubpaths, { regex: forbiddenRegex('core'), message: layerMessage('core') }, { regex: '^\\./core\\.ts$', message: 'A use-case takes the capabilities it needs (core/deps.ts), not the whole Core: only hosts and the API hold a Core.' }],
        },
      ],
    },
  },
  { files: ['electron/main.ts', 'electron/preload.ts'], rules: { 'no-restricted-imports': 'off' } },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronPackage],
          patterns: [
            nodeImports,
            nativeImports,
            { group: ['react', 'react-dom', '@mantine/*', '@tanstack/*'], message: 'shared/ is UI-free.' },
            { group: ['**/electron/**', '**/renderer/**', '**/server/**'], message: 'shared/ depends on nothing of the product but itself.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'localStorage', 'process', 'Buffer', 'require', '__dirname'],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', { paths: [electronPackage, bareSpinner], patterns: rendererPatterns }],
      'no-restricted-globals': ['error', 'process', 'Buffer', 'require', '__dirname'],
    },
  },
  { files: ['renderer/src/components/Busy.tsx'], rules: { 'no-restricted-imports': ['error', { paths: [electronPackage], patterns: rendererPatterns }] } },
  {
    files: ['server/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [electronPackage], patterns: [{ group: ['**/electron/**', '**/renderer/**'], message: 'The server never imports the desktop app.' }] }],
    },
  },
  {
    files: ['node/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [electronPackage], patterns: [{ group: ['**/electron/**', '**/renderer/**', '**/server/**'], message: 'node/ is shared by the desk and the server: it depends on neither.' }] }],
    },
  },
  {
    files: ['bin/**/*.js', '*.config.{js,ts}'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
