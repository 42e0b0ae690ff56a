// The editor's daily loop against the live server: live analysis on save, markers that move with
// edits, a quick fix whose squiggle goes at once, undo and redo re-analyzed, the hover, finding
// details with the triage history, triage with undo, the Findings view's filters and the
// Dismissed group, and auto-fix of several findings without a model.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { StoredFinding } from '#protocol/analysis.ts';
import type { Project } from '#protocol/projects.ts';
import type { AnalysisOutcome } from '../../../extension/analysis/workspace-analyzer.ts';
import type { LiveAnalysisOutcome } from '../../../extension/analysis/live-analysis.ts';
import type { FindingsNode } from '../../../extension/analysis/findings-tree.ts';
import type { AutofixFileOutcome } from '../../../extension/autofix/autofix-file.command.ts';
import { callServer, ensureConnected, uniqueName, waitFor } from './helpers.ts';

const EVAL = 'nyx/dangerous/dynamic-eval';
const TLS = 'nyx/dangerous/tls-verification-disabled';
const LIVE_JS = 'src/live/handler.js';
const LIVE_PY = 'src/live/client.py';

function folder(): vscode.WorkspaceFolder {
  const first = vscode.workspace.workspaceFolders?.[0];
  assert.ok(first, 'no workspace folder');
  return first;
}

const fileUri = (path: string) => vscode.Uri.joinPath(folder().uri, path);
const nyxDiagnostics = (path: string) => vscode.languages.getDiagnostics(fileUri(path)).filter((diagnostic) => diagnostic.source === 'Nyx');
const ruleOf = (diagnostic: vscode.Diagnostic) => (typeof diagnostic.code === 'object' ? String(diagnostic.code.value) : String(diagnostic.code));
const has = (path: string, ruleId: string) => nyxDiagnostics(path).some((diagnostic) => ruleOf(diagnostic) === ruleId);

/** Resolves with the next live analysis that covered `path`. */
async function nextLiveAnalysis(path: string, action: () => Thenable<unknown> | Promise<unknown>): Promise<LiveAnalysisOutcome> {
  const api = await ensureConnected();
  const analyzed = new Promise<LiveAnalysisOutcome>((resolve) => {
    const listener = api.analysis.live.onDidAnalyze((outcome) => {
      if (!outcome.paths.includes(path)) return;
      listener.dispose();
      resolve(outcome);
    });
  });
  await action();
  const outcome = await Promise.race([analyzed, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no live analysis of ${path} within 60 s`)), 60_000))]);
  assert.equal(outcome.error, undefined, outcome.error);
  assert.equal(outcome.outcome?.done.status, 'succeeded', JSON.stringify(outcome.outcome?.done));
  return outcome;
}

/** Opens the file (created empty when missing) and types `text` into it, unsaved, as a user would. */
async function typeInto(path: string, text: string): Promise<vscode.TextEditor> {
  await vscode.workspace.fs.stat(fileUri(path)).then(undefined, () => vscode.workspace.fs.writeFile(fileUri(path), new Uint8Array()));
  const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(fileUri(path)));
  const whole = new vscode.Range(0, 0, editor.document.lineCount, 0);
  assert.ok(await editor.edit((edit) => edit.replace(whole, text)));
  return editor;
}

describe('The editor loop: live analysis, details, triage, filters', function () {
  // Several live analyses per test, each a real run on the server; slow on a loaded 2-core machine.
  this.timeout(120_000);
  let project: Project;

  before(async () => {
    const api = await ensureConnected();
    await vscode.workspace.getConfiguration('nyx.analysis').update('liveMode', 'onSave', vscode.ConfigurationTarget.Global);
    project = await callServer<Project>('POST', '/api/v1/projects', { name: uniqueName('Editor loop') });
    await api.selection.select(project, folder());
    await vscode.workspace.fs.createDirectory(fileUri('src/live'));
    await vscode.workspace.fs.writeFile(fileUri(LIVE_JS), Buffer.from('export function handle(input) {\n  return input.trim();\n}\n'));
    const outcome = await vscode.commands.executeCommand<AnalysisOutcome | undefined>('nyx.analyzeWorkspace');
    assert.equal(outcome?.done?.status, 'succeeded');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(fileUri('src/live'), { recursive: true }).then(undefined, () => undefined);
    await vscode.workspace.getConfiguration('nyx.analysis').update('liveMode', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('nyx.clearFindingsFilter');
  });

  it('saving a newly vulnerable file analyzes it by itself: one blob uploaded, the diagnostic appears', async () => {
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(fileUri(LIVE_JS)));
    assert.ok(!has(LIVE_JS, EVAL));
    await editor.edit((edit) => edit.replace(new vscode.Range(1, 0, 1, 22), '  return eval(input);'));
    const live = await nextLiveAnalysis(LIVE_JS, () => editor.document.save());
    assert.equal(live.outcome?.uploaded, 1, 'only the saved file went up');
    assert.equal(live.outcome?.result?.analyzed, 1, 'only the saved file was analyzed');
    await waitFor('the eval diagnostic on the saved file', () => has(LIVE_JS, EVAL));
  });

  it('markers move with edits before any analysis answers, and the hover shows severity, rule, CWE and OWASP', async () => {
    const editor = vscode.window.activeTextEditor!;
    const before = nyxDiagnostics(LIVE_JS).find((diagnostic) => ruleOf(diagnostic) === EVAL)!;
    await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), '// one\n// two\n'));
    await waitFor('the marker to move two lines down', () => nyxDiagnostics(LIVE_JS).find((diagnostic) => ruleOf(diagnostic) === EVAL)?.range.start.line === before.range.start.line + 2, 5_000);
    const moved = nyxDiagnostics(LIVE_JS).find((diagnostic) => ruleOf(diagnostic) === EVAL)!;
    assert.equal(moved.range.start.character, before.range.start.character);

    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, moved.range.start.translate(0, 1));
    const text = hovers.flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : content.value))).join('\n');
    assert.match(text, /Nyx error/);
    assert.ok(text.includes(EVAL), text);
    assert.match(text, /CWE-95/);
    assert.match(text, /OWASP/);
    await nextLiveAnalysis(LIVE_JS, () => editor.document.save());
  });

  it('the fix comes first in the quick-fix menu and dismissal last; after the fix the squiggle goes at once; undo and redo are re-analyzed', async () => {
    const editor = await typeInto(LIVE_PY, 'import requests\n\n\ndef get(url):\n    return requests.get(url, verify=False)\n');
    await nextLiveAnalysis(LIVE_PY, () => editor.document.save());
    await waitFor('the TLS diagnostic', () => has(LIVE_PY, TLS));
    const diagnostic = nyxDiagnostics(LIVE_PY).find((candidate) => ruleOf(candidate) === TLS)!;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', editor.document.uri, diagnostic.range);
    const titles = actions.map((action) => action.title);
    assert.match(titles[0]!, /^Apply fix: /, titles.join(' | '));
    assert.equal(actions[0]!.isPreferred, true);
    assert.match(titles.at(-1)!, /^Dismiss for the team: /, titles.join(' | '));
    assert.ok(titles.includes(`Show details of ${TLS}`), titles.join(' | '));

    // What VS Code does when the quick fix is chosen: the edit, then the action's command.
    const fix = actions[0]!;
    const reanalyzed = nextLiveAnalysis(LIVE_PY, async () => {
      assert.ok(await vscode.workspace.applyEdit(fix.edit!));
      await vscode.commands.executeCommand(fix.command!.command, ...(fix.command!.arguments ?? []));
      assert.ok(!has(LIVE_PY, TLS), 'the squiggle is still there right after the fix');
    });
    await reanalyzed;
    assert.ok(!has(LIVE_PY, TLS), 'the analysis of the fixed text brought it back');

    await vscode.window.showTextDocument(editor.document);
    await nextLiveAnalysis(LIVE_PY, () => vscode.commands.executeCommand('undo'));
    assert.match(editor.document.getText(), /verify=False/);
    await waitFor('the TLS diagnostic back after undo', () => has(LIVE_PY, TLS));
    await nextLiveAnalysis(LIVE_PY, () => vscode.commands.executeCommand('redo'));
    assert.match(editor.document.getText(), /verify=True/);
    await waitFor('the TLS diagnostic gone after redo', () => !has(LIVE_PY, TLS));
    await nextLiveAnalysis(LIVE_PY, () => vscode.commands.executeCommand('undo'));
    await waitFor('the TLS diagnostic back', () => has(LIVE_PY, TLS));
    await editor.document.save();
  });

  it('triage: false positive leaves the diagnostics and joins the Dismissed group; undo brings it back; details show the history', async () => {
    const api = await ensureConnected();
    const finding = api.analysis.findings.findingsOf(project.id).find((candidate) => candidate.ruleId === EVAL && candidate.path === LIVE_JS);
    assert.ok(finding);
    const changed = await vscode.commands.executeCommand<StoredFinding>('nyx.triageFinding', finding.id, { status: 'false-positive', reason: 'input is a constant table' });
    assert.equal(changed.resolution, 'false-positive');
    await waitFor('the diagnostic to go', () => !has(LIVE_JS, EVAL));

    await vscode.commands.executeCommand('nyx.filterFindings', { status: 'all' });
    const dismissedGroup = api.analysis.tree.getChildren().find((node) => node.kind === 'dismissed');
    assert.ok(dismissedGroup, 'no Dismissed group');
    const leaves = (node: FindingsNode): Extract<FindingsNode, { kind: 'finding' }>[] =>
      node.kind === 'finding' ? [node] : api.analysis.tree.getChildren(node).flatMap(leaves);
    const entry = leaves(dismissedGroup).find((node) => node.located.finding.id === finding.id);
    assert.ok(entry, 'the finding is not in the Dismissed group');
    assert.match(String(api.analysis.tree.getTreeItem(entry).description), /handler\.js:\d+:\d+ · False positive/);

    const restored = await vscode.commands.executeCommand<StoredFinding>('nyx.undoTriage', finding.id);
    assert.equal(restored.status, 'open');
    await waitFor('the diagnostic back after undo', () => has(LIVE_JS, EVAL));
    const markdown = await vscode.commands.executeCommand<string>('nyx.showFindingDetails', finding.id);
    assert.match(markdown, /## Triage history/);
    assert.match(markdown, /~~\*\*False positive\*\*: input is a constant table/);
    assert.match(markdown, /\*\*Vulnerable:\*\*/);
    assert.match(markdown, /\*\*Fixed:\*\*/);
    // The details panel (webviews/finding-details) shows the same, as a user reads it.
    const panel = api.analysis.details.get(finding.id);
    assert.ok(panel, 'no details panel opened');
    const view = await waitFor('the details panel to show the history', async () => {
      const described = await panel.host.request('describeView', {});
      return described.history.length > 0 ? described : undefined;
    });
    assert.equal(view.title, 'Code evaluated from dynamic input');
    assert.ok(view.facts.includes('CWE-95') && view.facts.includes(EVAL) && view.facts.includes('error'), view.facts.join(', '));
    assert.ok(view.facts.some((fact) => fact.startsWith('OWASP ')), view.facts.join(', '));
    for (const heading of ['What was found', 'Why it matters', 'Example', 'Triage history']) assert.ok(view.sections.includes(heading), view.sections.join(', '));
    assert.ok(view.examples?.vulnerable.includes('eval'), JSON.stringify(view.examples));
    assert.match(view.history[0]!, /^False positive: input is a constant table .*\(undone\)$/);
    const rule = await vscode.commands.executeCommand<string>('nyx.showRule', EVAL);
    assert.match(rule, /## Why it matters/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('the Findings view filters by severity, rule, file and words, and keeps file names when grouped by severity', async () => {
    const api = await ensureConnected();
    const tree = api.analysis.tree;
    await vscode.commands.executeCommand('nyx.filterFindings', { severities: ['error'] });
    assert.ok(tree.located().length > 0 && tree.located().every((located) => located.finding.severity === 'error'));
    await vscode.commands.executeCommand('nyx.filterFindings', { ruleId: TLS });
    assert.ok(tree.located().length > 0 && tree.located().every((located) => located.finding.ruleId === TLS));
    await vscode.commands.executeCommand('nyx.filterFindings', { file: 'src/live/' });
    assert.deepEqual([...new Set(tree.located().map((located) => located.finding.path))].sort(), [LIVE_PY, LIVE_JS].sort());
    await vscode.commands.executeCommand('nyx.filterFindings', {});
    await vscode.commands.executeCommand('nyx.searchFindings', 'CWE-95');
    assert.ok(tree.located().length > 0 && tree.located().every((located) => located.finding.cwe.includes('CWE-95')));
    assert.equal(tree.view.description, '"CWE-95"');
    await vscode.commands.executeCommand('nyx.clearFindingsFilter');
    assert.equal(tree.view.description, undefined);

    await vscode.commands.executeCommand('nyx.toggleFindingsGrouping', 'severity');
    const errors = tree.getChildren().find((node) => node.kind === 'severity' && node.severity === 'error')!;
    const leaf = tree.getChildren(tree.getChildren(errors)[0]).find((node) => node.kind === 'finding')!;
    const description = String(tree.getTreeItem(leaf).description);
    assert.ok(leaf.kind === 'finding' && description.includes(`${leaf.located.finding.path.split('/').pop()}:`), description);
    await vscode.commands.executeCommand('nyx.toggleFindingsGrouping', 'file');
  });

  it('auto-fix of several findings without a provider: the analyzer fix runs, the one that needs a model is reported as skipped', async () => {
    const api = await ensureConnected();
    const catalog = await callServer<{ configuredProviders: string[] }>('GET', '/api/v1/models');
    for (const provider of catalog.configuredProviders) await callServer('DELETE', `/api/v1/providers/${provider}`);
    const editor = await typeInto(LIVE_PY, 'import requests\n\n\ndef get(url, code):\n    eval(code)\n    return requests.get(url, verify=False)\n');
    await nextLiveAnalysis(LIVE_PY, () => editor.document.save());
    const mine = await waitFor('both findings of the file', () => {
      const found = api.analysis.findings.findingsOf(project.id).filter((finding) => finding.path === LIVE_PY && [EVAL, TLS].includes(finding.ruleId));
      return found.length === 2 ? found : undefined;
    });
    const needsModel = mine.find((finding) => !finding.fix)!;
    const fixable = mine.find((finding) => finding.fix)!;
    assert.ok(needsModel && fixable, 'one finding with an analyzer fix and one without');
    const outcome = await vscode.commands.executeCommand<AutofixFileOutcome | undefined>('nyx.autoFixFindingsInFile', { uri: editor.document.uri, findingIds: mine.map((finding) => finding.id) });
    assert.ok(outcome, 'the command did nothing');
    assert.deepEqual(outcome.skipped, [needsModel.id]);
    assert.equal(outcome.done?.status, 'succeeded', JSON.stringify(outcome.done));
    const run = await callServer<{ input: { findingIds: string[] } }>('GET', `/api/v1/runs/${outcome.runId}`);
    assert.deepEqual(run.input.findingIds, [fixable.id], 'only the deterministic fix went to the run');
    assert.ok(outcome.proposal, 'the analyzer fix is offered as a diff');
    await vscode.commands.executeCommand('nyx.discardProposedChange', outcome.runId);
  });
});
