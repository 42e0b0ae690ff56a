import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeFile, ANALYZER_VERSION } from '#server/modules/analysis/analyzers/analyze-file.ts';
import { analysisCacheKey } from '#server/modules/analysis/analyzers/cache.ts';
import { hashModelFiles, MODELS_HASH } from '#server/modules/analysis/taint/models.ts';

const modelsDir = new URL('../../../../server/src/modules/analysis/taint/models/', import.meta.url);
const cacheModule = new URL('../../../../server/src/modules/analysis/analyzers/cache.ts', import.meta.url).href;

/** The cache key of a file computed in a fresh process that loads its models from `dir`. */
function keyWithModels(dir: string | undefined): string {
  const script = `const { analysisCacheKey } = await import(${JSON.stringify(cacheModule)}); process.stdout.write(analysisCacheKey({ path: 'a.js', content: 'x' }));`;
  const env = { ...process.env };
  if (dir) env.NYX_TAINT_MODELS_DIR = dir;
  else delete env.NYX_TAINT_MODELS_DIR;
  return execFileSync(process.execPath, ['--input-type=module', '-e', script], { env, encoding: 'utf8' });
}

describe('taint models and the analysis cache', () => {
  it('the analyzer version (and so every cache key) includes the hash of the models files', () => {
    assert.match(MODELS_HASH, /^[0-9a-f]{16}$/);
    assert.ok(ANALYZER_VERSION.includes(MODELS_HASH));
    const files = readdirSync(modelsDir).filter((n) => n.endsWith('.yml')).sort().map((name) => ({ name, text: readFileSync(new URL(name, modelsDir), 'utf8') }));
    assert.equal(hashModelFiles(files), MODELS_HASH);
    const changed = files.map((f, i) => (i === 0 ? { ...f, text: `${f.text}\n# one more comment\n` } : f));
    assert.notEqual(hashModelFiles(changed), MODELS_HASH);
  });

  it('a changed models file changes the cache key of the same blob (fresh process per models directory)', function () {
    this.timeout(60_000);
    const dir = mkdtempSync(join(tmpdir(), 'nyx-models-'));
    try {
      cpSync(modelsDir, dir, { recursive: true });
      const sameModels = keyWithModels(dir);
      assert.equal(sameModels, analysisCacheKey({ path: 'a.js', content: 'x' }), 'a copy of the same models gives the same key');
      const file = join(dir, 'js-express-koa-node.yml');
      writeFileSync(file, readFileSync(file, 'utf8').replace('label: a SQL query', 'label: an SQL query'));
      assert.notEqual(keyWithModels(dir), sameModels, 'an edited models file gives another key');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the same blob gives the same findings, flows included', () => {
    const content = `const cp = require('child_process');\napp.get('/', (req, res) => {\n  const c = 'ls ' + req.query.dir;\n  cp.exec(c);\n});\n`;
    const first = analyzeFile({ path: 'a.js', content });
    const second = analyzeFile({ path: 'a.js', content: new TextEncoder().encode(content) });
    assert.ok(first.some((f) => f.ruleId === 'nyx/injection/command' && f.flow && f.flow.length >= 2));
    assert.deepEqual(second, first);
  });
});
