// The dependency rules of `npm run lint` (.dependency-cruiser.cjs, decision 0008): the real tree
// passes them, and a fixture tree that breaks each rule once is reported rule by rule, which
// proves the check can fail.
import { spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const config = path.join(root, '.dependency-cruiser.cjs');
const depcruise = path.join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruiser.mjs');
const fixture = path.join(root, 'test', 'fixtures', 'structure', 'violations');

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
  cycle?: { name: string }[];
}

const DIRS = ['server', 'protocol', 'cli', 'extension', 'webviews'];

/** The violations depcruise finds under `cwd`, read from its JSON report. */
function violationsIn(cwd: string): Violation[] {
  const result = spawnSync(process.execPath, [depcruise, '--config', config, '--output-type', 'json', ...DIRS], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.ok(result.stdout, `depcruise printed nothing: ${result.stderr}`);
  return (JSON.parse(result.stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

/** The exit status of the command `npm run lint` runs (the JSON reporter always exits 0). */
function lintStatus(cwd: string): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [depcruise, '--config', config, ...DIRS], { cwd, encoding: 'utf8' });
  return { status: result.status, output: result.stdout + result.stderr };
}

describe('dependency rules', function () {
  this.timeout(180_000);

  it('the repository follows them', () => {
    const violations = violationsIn(root);
    assert.deepEqual(violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`), []);
  });

  it('reports each deliberate violation of the fixture tree, and nothing it allows', () => {
    const lint = lintStatus(fixture);
    assert.notEqual(lint.status, 0, `the lint command must fail on the fixture tree:\n${lint.output}`);
    const violations = violationsIn(fixture);
    const found = new Set(violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`));
    const expected = [
      'no-circular: server/src/modules/alpha/service.ts -> server/src/modules/beta/service.ts',
      'imports-resolve: server/src/modules/alpha/typo.ts -> ./missing.ts',
      'protocol-is-a-leaf: protocol/contract.ts -> server/src/modules/alpha/service.ts',
      'webviews-import-protocol-and-their-own-folder: webviews/panel/main.ts -> webviews/other/view.ts',
      'extension-never-imports-the-server: extension/client.ts -> server/src/modules/alpha/service.ts',
      'nothing-imports-the-composition-root: server/src/modules/beta/uses-the-root.ts -> server/src/app.ts',
      'features-use-each-other-not-each-others-wiring: server/src/modules/beta/uses-alpha-routes.ts -> server/src/modules/alpha/routes.ts',
      'shared-server-modules-know-no-feature-wiring: server/src/services.ts -> server/src/modules/alpha/routes.ts',
      'cli-imports-protocol-and-the-pure-analyzers: cli/uses-the-server.ts -> server/src/modules/alpha/service.ts',
      'nothing-imports-the-cli: extension/uses-the-cli.ts -> cli/allowed.ts',
    ];
    for (const violation of expected) assert.ok(found.has(violation), `not reported: ${violation}\nreported:\n${[...found].join('\n')}`);
    // What the rules allow stays quiet: a webview's use of protocol/ and webviews/common/, a
    // feature's own routes, the composition root importing a feature, the CLI using protocol/ and node:.
    const allowedSources = ['cli/allowed.ts', 'webviews/panel/allowed.ts', 'server/src/modules/alpha/feature.ts', 'server/src/app.ts'];
    const noisy = violations.filter((v) => allowedSources.includes(v.from));
    assert.deepEqual(noisy.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`), []);
  });
});
