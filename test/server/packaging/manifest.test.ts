// The manifest and the extension's sources agree (in the spirit of vscode-pull-request-github's
// scripts/check-commands.js), checked without an editor: the in-host smoke suite checks the same
// against a running VS Code.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');
const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
const contributes = manifest.contributes;
const declared = new Set<string>(contributes.commands.map((entry: { command: string }) => entry.command));

function sourcesUnder(dir: string): string[] {
  return readdirSync(path.join(repoRoot, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => readFileSync(path.join(repoRoot, dir, file), 'utf8'));
}

describe('Extension manifest', () => {
  it('declares every command the sources register, and the sources register every declared one', () => {
    const registered = new Set(sourcesUnder('extension').flatMap((source) => [...source.matchAll(/registerCommand\(\s*'(nyx\.[\w.]+)'/g)].map((match) => match[1])));
    assert.deepEqual([...registered].sort(), [...declared].sort());
  });

  it('gives every command the "Nyx" category and a title', () => {
    for (const entry of contributes.commands) {
      assert.equal(entry.category, 'Nyx', entry.command);
      assert.ok(entry.title, entry.command);
    }
  });

  it('names only declared commands in menus, view welcome content and the walkthrough', () => {
    const menuCommands = Object.values(contributes.menus).flatMap((entries) => (entries as Array<{ command: string }>).map((entry) => entry.command));
    const linked = [...JSON.stringify([contributes.viewsWelcome, contributes.walkthroughs]).matchAll(/command:(nyx\.[\w.]+)/g)].map((match) => match[1]);
    const unknown = [...menuCommands, ...linked].filter((id) => !declared.has(id));
    assert.deepEqual(unknown, []);
  });

  it('writes view welcome content and walkthrough steps without backticks (they render links only)', () => {
    const texts: string[] = [
      ...contributes.viewsWelcome.map((welcome: { contents: string }) => welcome.contents),
      ...contributes.walkthroughs.flatMap((walkthrough: { steps: Array<{ description: string }> }) => walkthrough.steps.map((step) => step.description)),
    ];
    assert.ok(texts.length > 0);
    assert.deepEqual(texts.filter((text) => text.includes('`')), []);
  });

  it('ships the files it points at (views container icon, walkthrough media)', () => {
    const files = [
      ...contributes.viewsContainers.activitybar.map((container: { icon: string }) => container.icon),
      ...contributes.walkthroughs.flatMap((walkthrough: { steps: Array<{ media: { markdown?: string; image?: string } }> }) => walkthrough.steps.map((step) => step.media.markdown ?? step.media.image)),
    ];
    assert.deepEqual(files.filter((file) => !existsSync(path.join(repoRoot, file))), []);
  });

  it('activates for its views and restores its webview panels', () => {
    for (const event of ['onView:nyx.projects', 'onView:nyx.runs', 'onWebviewPanel:nyx.runDashboard']) assert.ok(manifest.activationEvents.includes(event), event);
  });
});
