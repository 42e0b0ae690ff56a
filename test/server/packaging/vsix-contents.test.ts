// What `npm run package` puts in dist/nyx.vsix: asked of vsce itself (the same file walk and
// .vscodeignore rules `vsce package` applies), so server code, tests and sources never ship.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { listFiles, PackageManager } from '@vscode/vsce';

const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');
/** The user README, packed by vsce as extension/readme.md (`--readme-path` in `npm run package`). */
const USER_README = 'extension/README.md';
const SHIPPED = [/^dist\/extension\.cjs$/, /^dist\/webviews\/[\w.-]+\.(js|css|ttf|woff2?|svg)$/, /^dist\/readme\/[\w.-]+\.png$/, /^media\//, /^package\.json$/, /^extension\/README\.md$/, /^LICENSE$/];
const manifest = JSON.parse(readFileSync(path.join(import.meta.dirname, '..', '..', '..', 'package.json'), 'utf8'));

describe('VSIX contents', () => {
  let files: string[];

  before(async () => {
    // readmePath is what `vsce package --readme-path` passes; listFiles takes it too (its types omit it).
    const options = { cwd: repoRoot, packageManager: PackageManager.None, readmePath: USER_README };
    files = (await listFiles(options)).map((file) => file.split(path.sep).join('/'));
  });

  it('ships only the built extension, webview bundles, media, package.json, README and LICENSE', () => {
    const unexpected = files.filter((file) => !SHIPPED.some((pattern) => pattern.test(file)));
    assert.deepEqual(unexpected, []);
  });

  it('never ships server code, tests, TypeScript sources, source maps or the in-host test bundle', () => {
    const leaked = files.filter((file) => file !== USER_README).filter((file) => /^(server|test|protocol|extension|webviews|scripts|migrations|bench|docs|node_modules)\//.test(file) || /\.(ts|map)$/.test(file) || file.startsWith('dist/test/'));
    assert.deepEqual(leaked, []);
  });

  it('ships the manifest and the activity bar icon it names', () => {
    assert.ok(files.includes('package.json'));
    assert.ok(files.includes('media/nyx.svg'), 'media/nyx.svg (the views container icon) is not packaged');
  });

  it('ships the user README (not the developers\' one) and a 128x128 PNG icon', () => {
    assert.match(manifest.scripts.package, new RegExp(`--readme-path ${USER_README}`), 'npm run package must pass the user README to vsce');
    assert.ok(files.includes(USER_README) && !files.includes('README.md'), `packed: ${files.filter((f) => /readme/i.test(f)).join(', ')}`);
    const readme = readFileSync(path.join(repoRoot, USER_README), 'utf8');
    assert.match(readme, /npx nyx-server start/);
    assert.doesNotMatch(readme, /scripts\/start\.sh|\.\.\/shared/, 'developer instructions or links outside the VSIX');
    for (const [, image] of readme.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)) {
      assert.match(image!, /^dist\/readme\/[\w.-]+\.png$/, `${image} is not an image the package step copies`);
      assert.ok(readFileSync(path.join(repoRoot, 'docs/images', path.basename(image!))).length > 0);
    }
    assert.equal(manifest.icon, 'media/icon.png');
    assert.ok(files.includes(manifest.icon));
    const png = readFileSync(path.join(repoRoot, manifest.icon));
    assert.equal(png.subarray(1, 4).toString(), 'PNG');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128], 'icon width and height');
  });
});
