// Runs inside the extension host (see test/extension/in-host/run-suites.ts): proves the harness
// talks to a real VS Code with the real extension loaded, and guards the manifest's commands.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'nyx-dev.nyx';

interface ContributedCommand {
  command: string;
  title: string;
}

function nyxExtension(): vscode.Extension<unknown> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed in this VS Code`);
  return extension;
}

describe('Nyx extension in a real VS Code', () => {
  it('is installed and activates', async () => {
    const extension = nyxExtension();
    await extension.activate();
    assert.equal(extension.isActive, true);
    assert.equal(extension.packageJSON.name, 'nyx');
  });

  it('registers every command package.json declares, and declares every nyx.* command it registers', async () => {
    const declared: ContributedCommand[] = nyxExtension().packageJSON.contributes?.commands ?? [];
    const declaredIds = declared.map((entry) => entry.command).sort();
    assert.ok(declaredIds.includes('nyx.showLog'), 'nyx.showLog is not declared in contributes.commands');

    // VS Code itself registers <view id>.focus, .open, .removeView... for every contributed view.
    const viewIds: string[] = Object.values(nyxExtension().packageJSON.contributes?.views ?? {}).flatMap((views) => (views as Array<{ id: string }>).map((view) => view.id));
    const registeredNyxIds = (await vscode.commands.getCommands(true))
      .filter((id) => id.startsWith('nyx.') && !viewIds.some((view) => id.startsWith(`${view}.`)))
      .sort();
    assert.deepEqual(registeredNyxIds, declaredIds);
  });

  it('opens the fixture workspace', async () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.equal(folders.length, 1);
    assert.equal(path.basename(folders[0].uri.fsPath), 'fixture-workspace');
    const readme = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folders[0].uri, 'README.md'));
    assert.match(Buffer.from(readme).toString('utf8'), /fixture workspace for the Nyx extension tests/);
  });

  it('publishes a diagnostic on a workspace file and reads it back', async () => {
    const [file] = await vscode.workspace.findFiles('src/sample.py');
    assert.ok(file, 'src/sample.py is missing from the fixture workspace');
    const collection = vscode.languages.createDiagnosticCollection('nyx-smoke');
    try {
      const range = new vscode.Range(3, 11, 3, 29);
      const published = new vscode.Diagnostic(range, 'pickle.loads on untrusted data', vscode.DiagnosticSeverity.Warning);
      published.source = 'nyx';
      collection.set(file, [published]);

      const [readBack, ...others] = vscode.languages.getDiagnostics(file).filter((d) => d.source === 'nyx');
      assert.equal(others.length, 0);
      assert.equal(readBack.message, 'pickle.loads on untrusted data');
      assert.equal(readBack.severity, vscode.DiagnosticSeverity.Warning);
      assert.ok(readBack.range.isEqual(range));
    } finally {
      collection.dispose();
    }
    assert.deepEqual(vscode.languages.getDiagnostics(file).filter((d) => d.source === 'nyx'), []);
  });
});
