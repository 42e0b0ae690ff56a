// Builds everything the editor loads, with esbuild (`npm run build`):
//   extension/extension.ts        -> dist/extension.cjs             the extension (CJS, node, 'vscode' external)
//   webviews/<surface>/main.ts    -> dist/webviews/<surface>.js     one browser IIFE per webview surface
//   test/extension/suite/*.test.ts -> dist/test/extension-tests.cjs  the in-host test bundle (never shipped:
//                                                                    .vscodeignore keeps dist/test out)
// Flags: --minify (for packaging a VSIX); --package also copies the screenshots the VSIX's README
// (extension/README.md) shows from docs/images/ to dist/readme/.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// NYX_BUILD_DIR lets several people build and test the extension from one checkout without
// overwriting each other's bundles; the extension test runner reads the same variable.
const dist = process.env.NYX_BUILD_DIR ? path.resolve(process.env.NYX_BUILD_DIR) : path.join(root, 'dist');
const minify = process.argv.includes('--minify');
const packaging = process.argv.includes('--package');

/** Options shared by everything that runs in the extension host. */
const extensionHost = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20', // the oldest extension host Node among the VS Code versions engines.vscode allows
  external: ['vscode'],
  sourcemap: true,
  minify,
  logLevel: 'warning',
  absWorkingDir: root,
};

function buildExtension() {
  return esbuild.build({
    ...extensionHost,
    entryPoints: ['extension/extension.ts'],
    outfile: path.join(dist, 'extension.cjs'),
  });
}

/** Every webviews/<surface>/main.ts becomes dist/webviews/<surface>.js, loaded by that webview's host. */
function buildWebviews() {
  const webviewsDir = path.join(root, 'webviews');
  const surfaces = existsSync(webviewsDir)
    ? readdirSync(webviewsDir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && existsSync(path.join(webviewsDir, entry.name, 'main.ts')))
        .map((entry) => entry.name)
    : [];
  if (surfaces.length === 0) return Promise.resolve();
  return esbuild.build({
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    sourcemap: true,
    minify,
    logLevel: 'warning',
    absWorkingDir: root,
    entryPoints: Object.fromEntries(surfaces.map((surface) => [surface, `webviews/${surface}/main.ts`])),
    outdir: path.join(dist, 'webviews'),
    // Fonts and icons (e.g. @vscode/codicons) referenced from CSS are copied next to the bundle.
    loader: { '.ttf': 'file', '.woff': 'file', '.woff2': 'file', '.svg': 'file' },
  });
}

/**
 * One CJS module exporting `run(options)`, with mocha bundled in (the staged extension has no
 * node_modules). The suites are imported inside a function so that they are evaluated only after
 * mocha has installed its `describe`/`it` globals.
 */
function buildExtensionTests() {
  const suiteDir = 'test/extension/suite';
  // NYX_TEST_ONLY=providers,webview bundles only those suites: a targeted run while working on one
  // feature (test/extension/run.ts applies the same list to the UI suites and says it was partial).
  const only = process.env.NYX_TEST_ONLY?.split(',').map((name) => name.trim()).filter(Boolean);
  const suites = readdirSync(path.join(root, suiteDir))
    .filter((name) => name.endsWith('.test.ts') && (!only?.length || only.includes(name.replace(/\.test\.ts$/, ''))))
    .sort();
  const imports = suites.map((name) => `  await import('./${suiteDir}/${name}');`).join('\n');
  return esbuild.build({
    ...extensionHost,
    minify: false,
    // mocha's parallel mode resolves worker files next to itself; it is never used in the host.
    logOverride: { 'require-resolve-not-external': 'silent' },
    stdin: {
      contents: [
        `import { runSuites } from './test/extension/in-host/run-suites.ts';`,
        // The extension passes { resultsFile }; test-electron's host calls run(testsRoot, callback).
        `export function run(options) {`,
        `  const resultsFile = (typeof options === 'object' && options?.resultsFile) || process.env.NYX_TEST_RESULTS;`,
        `  return runSuites(async () => {\n${imports}\n  }, { resultsFile });`,
        `}`,
      ].join('\n'),
      resolveDir: root,
      sourcefile: 'extension-tests-entry.js',
      loader: 'js',
    },
    outfile: path.join(dist, 'test', 'extension-tests.cjs'),
  });
}

/**
 * The images extension/README.md names as dist/readme/<name>.png, copied from docs/images/<name>.png:
 * one copy of each screenshot in the repository, and only the shown ones in the VSIX.
 */
function copyReadmeImages() {
  const readme = readFileSync(path.join(root, 'extension/README.md'), 'utf8');
  const names = [...readme.matchAll(/\(dist\/readme\/([\w.-]+\.png)\)/g)].map((match) => match[1]);
  mkdirSync(path.join(dist, 'readme'), { recursive: true });
  for (const name of names) copyFileSync(path.join(root, 'docs/images', name), path.join(dist, 'readme', name));
  return names;
}

rmSync(dist, { recursive: true, force: true });
const started = performance.now();
await Promise.all([buildExtension(), buildWebviews(), buildExtensionTests()]);
if (packaging) console.log(`build: README images ${copyReadmeImages().join(', ')}`);
console.log(`build: ${path.relative(root, dist) || dist}/ in ${Math.round(performance.now() - started)} ms`);
