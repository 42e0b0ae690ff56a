// scripts/rewrite-imports.js: what a branch started before decision 0008 runs after merging.
// It must turn `../` chains into subpath imports, follow the folders that moved, and leave
// same-folder and UI-internal imports alone. Pure text in, text out: no file is written.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const script = path.join(root, 'scripts', 'rewrite-imports.js');
type Rewrite = (text: string, file: string) => string;
const { rewriteSource } = (await import(script)) as { rewriteSource: Rewrite };
const at = (repoPath: string) => path.join(root, repoPath);

describe('rewrite-imports codemod', () => {
  it('follows the moved engines and sends AppServices to services.ts', () => {
    const before = [
      "import { AiRouter } from '../../ai/router.ts';",
      "import type { RunContext } from '../../runs/registry.ts';",
      "import type { AppServices } from '../../app.ts';",
      "import { createApp } from '../../app.ts';",
      "import { routes } from '../../../../protocol/notes.ts';",
      "import { sibling } from './sibling.ts';",
    ].join('\n');
    const after = rewriteSource(before, at('server/src/modules/notes/new-file.ts')).split('\n');
    assert.deepEqual(after, [
      "import { AiRouter } from '#server/modules/ai/engine/router.ts';",
      "import type { RunContext } from '#server/modules/runs/engine/registry.ts';",
      "import type { AppServices } from '#server/services.ts';",
      "import { createApp } from '#server/app.ts';",
      "import { routes } from '#protocol/notes.ts';",
      "import { sibling } from './sibling.ts';",
    ]);
  });

  it('rewrites multi-line and dynamic imports, and is idempotent', () => {
    const before = "import {\n  a,\n  b,\n} from '../../db/orm.ts';\nconst m = await import('../../runs/store.ts');\n";
    const once = rewriteSource(before, at('server/src/modules/x/y.ts'));
    assert.equal(once, "import {\n  a,\n  b,\n} from '#server/db/orm.ts';\nconst m = await import('#server/modules/runs/engine/store.ts');\n");
    assert.equal(rewriteSource(once, at('server/src/modules/x/y.ts')), once);
  });

  it('keeps UI code relative inside its own tree, and protocol/ relative inside protocol/', () => {
    const webview = "import { h } from '../common/dom.ts';\nimport type { X } from '../../protocol/webview.ts';";
    assert.equal(rewriteSource(webview, at('webviews/panel/main.ts')), "import { h } from '../common/dom.ts';\nimport type { X } from '#protocol/webview.ts';");
    const contract = "import { Run } from './runs.ts';";
    assert.equal(rewriteSource(contract, at('protocol/events.ts')), contract);
  });

  it('leaves packages, builtins and strings that only look like imports alone', () => {
    const text = "import Koa from 'koa';\nimport { join } from 'node:path';\nconst message = 'import it from the menu';\n";
    assert.equal(rewriteSource(text, at('server/src/app.ts')), text);
  });
});
