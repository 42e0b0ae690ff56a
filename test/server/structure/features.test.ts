// The feature list is the one place the server is assembled from (decision 0008): every route,
// run kind and entity comes from a Feature, and two features claiming the same name fail at startup.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { assertDistinct, contractsOf, entitiesOf, runKindsOf, type Feature } from '#server/feature.ts';
import { features } from '#server/features.ts';

const modulesDir = fileURLToPath(new URL('../../../server/src/modules/', import.meta.url));

describe('features', () => {
  it('lists every feature folder exactly once', () => {
    const folders = readdirSync(modulesDir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
    assert.deepEqual(features.map((feature) => feature.name).sort(), folders);
  });

  it('claims no route, run kind or event kind twice', () => {
    assertDistinct(features);
    const kinds = runKindsOf(features).map((runKind) => runKind.kind);
    for (const kind of ['analysis', 'github-sync', 'autofix', 'refactor', 'note-enrichment', 'digest', 'discussion', 'workflow']) assert.ok(kinds.includes(kind), `run kind ${kind} is missing`);
    assert.ok(entitiesOf(features).length >= 30, 'every entity comes from a feature');
    assert.ok(contractsOf(features).some((contract) => contract.path === '/api/v1/projects'), 'the projects routes come from a feature');
  });

  it('refuses two features that claim the same run kind, naming both', () => {
    const twin: Feature = { name: 'twin', contracts: {}, runKinds: [runKindsOf(features)[0]], entities: [], eventKinds: [] };
    const owner = features.find((feature) => feature.runKinds.includes(twin.runKinds[0]))!.name;
    assert.throws(() => assertDistinct([...features, twin]), new RegExp(`run kind "${twin.runKinds[0].kind}" is claimed by both the ${owner} and the twin feature`));
  });

  it('refuses two features that claim the same event kind', () => {
    const echo: Feature = { name: 'echo', contracts: {}, runKinds: [], entities: [], eventKinds: ['workflow.changed'] };
    assert.throws(() => assertDistinct([...features, echo]), /event kind "workflow.changed" is claimed by both the workflows and the echo feature/);
  });
});
