// What `npm run package` puts in dist/nyx.vsix: asked of vsce itself (the same file walk and
// .vscodeignore rules `vsce package` applies), so server code, tests and sources never ship.
import assert from 'node:assert/strict';
import path from 'node:path';
import { listFiles, PackageManager } from '@vscode/vsce';

const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');
const SHIPPED = [/^dist\/extension\.cjs$/, /^dist\/webviews\/[\w.-]+\.(js|css|ttf|woff2?|svg)$/, /^media\//, /^package\.json$/, /^README\.md$/, /^LICENSE$/];

describe('VSIX contents', () => {
  let files: string[];

  before(async () => {
    files = (await listFiles({ cwd: repoRoot, packageManager: PackageManager.None })).map((file) => file.split(path.sep).join('/'));
  });

  it('ships only the built extension, webview bundles, media, package.json, README and LICENSE', () => {
    const unexpected = files.filter((file) => !SHIPPED.some((pattern) => pattern.test(file)));
    assert.deepEqual(unexpected, []);
  });

  it('never ships server code, tests, TypeScript sources, source maps or the in-host test bundle', () => {
    const leaked = files.filter((file) => /^(server|test|protocol|extension|webviews|scripts|migrations|bench|docs|node_modules)\//.test(file) || /\.(ts|map)$/.test(file) || file.startsWith('dist/test/'));
    assert.deepEqual(leaked, []);
  });

  it('ships the manifest and the activity bar icon it names', () => {
    assert.ok(files.includes('package.json'));
    assert.ok(files.includes('media/nyx.svg'), 'media/nyx.svg (the views container icon) is not packaged');
  });
});
