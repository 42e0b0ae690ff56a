// media/workflow.schema.json (contributed as yamlValidation for users of the YAML extension) is
// checked in, generated from the same zod schema the server validates with and serves at
// GET /api/v1/workflows/schema.json. Regenerate: NYX_WRITE_WORKFLOW_SCHEMA=1 npx mocha --config test/server/.mocharc.json test/server/packaging/workflow-schema.test.ts
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { WORKSPACE_WORKFLOW_JSON_SCHEMA } from '#server/modules/workflows/routes.ts';

const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');
const schemaFile = path.join(repoRoot, 'media', 'workflow.schema.json');

describe('packaging: media/workflow.schema.json', () => {
  it('is the JSON Schema generated from the workspace workflow document schema', () => {
    const expected = `${JSON.stringify(WORKSPACE_WORKFLOW_JSON_SCHEMA, null, 2)}\n`;
    if (process.env.NYX_WRITE_WORKFLOW_SCHEMA) writeFileSync(schemaFile, expected);
    assert.equal(readFileSync(schemaFile, 'utf8'), expected, 'media/workflow.schema.json is stale: regenerate it (see the top of this test)');
  });

  it('is what package.json contributes for .nyx/workflows/*.yaml', () => {
    const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { contributes: { yamlValidation?: Array<{ fileMatch: string[]; url: string }> } };
    const entry = manifest.contributes.yamlValidation?.find((candidate) => candidate.url === './media/workflow.schema.json');
    assert.ok(entry, 'no yamlValidation entry for media/workflow.schema.json');
    assert.deepEqual(entry.fileMatch, ['.nyx/workflows/*.yaml', '.nyx/workflows/*.yml']);
  });
});
