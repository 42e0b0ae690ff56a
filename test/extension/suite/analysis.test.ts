// Code analysis in the editor against the live server: Analyze Workspace on the fixture folder,
// diagnostics at the seeded lines, the Findings view, the quick fix, re-analysis uploading one
// blob, Explain, dismiss (here and by a teammate, live), "Ask … to fix"; GitHub import and sync
// against the loopback GitHub (test/fakes/github-server.ts) the server reaches through the token's baseUrl.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { StoredFinding } from '#protocol/analysis.ts';
import type { Project } from '#protocol/projects.ts';
import type { Run } from '#protocol/runs.ts';
import type { AnalysisOutcome } from '../../../extension/analysis/workspace-analyzer.ts';
import type { FindingsNode } from '../../../extension/analysis/findings-tree.ts';
import { toFindingDiagnostic } from '../../../extension/analysis/finding-diagnostic.ts';
import { explanationOf } from '../../../extension/analysis/explain-finding.command.ts';
import type { RuleWithDocs } from '../../../extension/analysis/findings-store.ts';
import type { GithubSyncOutcome } from '../../../extension/github/github-sync.ts';
import { startFakeGithub } from '../../fakes/github-server.ts';
import type { FakeGithub } from '../../fakes/github-server.ts';
import { callServer, ensureConnected, uniqueName, waitFor } from './helpers.ts';

const EVAL = 'nyx/dangerous/dynamic-eval';
const TLS = 'nyx/dangerous/tls-verification-disabled';

function folder(): vscode.WorkspaceFolder {
  const first = vscode.workspace.workspaceFolders?.[0];
  assert.ok(first, 'no workspace folder');
  return first;
}

function fileUri(path: string): vscode.Uri {
  return vscode.Uri.joinPath(folder().uri, path);
}

function nyxDiagnostics(path: string): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(fileUri(path)).filter((diagnostic) => diagnostic.source === 'Nyx');
}

function ruleOf(diagnostic: vscode.Diagnostic): string {
  return typeof diagnostic.code === 'object' ? String(diagnostic.code.value) : String(diagnostic.code);
}

async function analyze(): Promise<AnalysisOutcome> {
  const outcome = await vscode.commands.executeCommand<AnalysisOutcome | undefined>('nyx.analyzeWorkspace');
  assert.ok(outcome, 'the command did not analyze');
  assert.equal(outcome.done?.status, 'succeeded', `the analysis ended ${outcome.done?.status}: ${outcome.done?.error}`);
  return outcome;
}

describe('Code analysis', () => {
  let project: Project;
  let first: AnalysisOutcome;

  after(async () => {
    await vscode.workspace.getConfiguration('nyx.analysis').update('liveMode', undefined, vscode.ConfigurationTarget.Global);
  });

  before(async () => {
    // The first suite to run finds the connection still starting: wait for it instead of signing in
    // (the connection suite checks that the credentials file alone connects).
    const extension = vscode.extensions.getExtension<{ connection: { state: { kind: string } } }>('nyx-dev.nyx');
    const started = await extension?.activate();
    await waitFor('the connection to start', () => started?.connection.state.kind === 'connected', 15_000).catch(() => undefined);
    const api = await ensureConnected();
    // This suite counts uploads of whole-folder analyses; live analysis (editor-loop.test.ts) would upload on save first.
    await vscode.workspace.getConfiguration('nyx.analysis').update('liveMode', 'off', vscode.ConfigurationTarget.Global);
    project = await callServer<Project>('POST', '/api/v1/projects', { name: uniqueName('Analysis') });
    await api.selection.select(project, folder());
  });

  it('analyzes the fixture folder: only non-ignored text files are uploaded; diagnostics at the seeded lines, source Nyx, rule codes with docs links', async () => {
    const api = await ensureConnected();
    first = await analyze();
    assert.equal(first.listSource, 'findFiles', 'the fixture copy is not a git repository');
    assert.ok(first.skipped.binary.includes('src/logo.bin'), `binary not skipped: ${JSON.stringify(first.skipped)}`);
    const snapshotPaths = (await callServer<{ items: StoredFinding[] }>('GET', `/api/v1/projects/${project.id}/findings?status=all`)).items.map((finding) => finding.path);
    assert.ok(!snapshotPaths.some((path) => path.startsWith('generated/') || path.endsWith('.log')), `ignored files were analyzed: ${snapshotPaths.join(', ')}`);
    assert.equal(first.upload.uploaded, first.missing, 'uploaded something other than the missing blobs');
    assert.ok(first.files >= 4, `only ${first.files} files in the snapshot`);

    await waitFor('diagnostics on src/server.js', () => nyxDiagnostics('src/server.js').length >= 2);
    const server = nyxDiagnostics('src/server.js');
    const evalDiagnostic = server.find((diagnostic) => ruleOf(diagnostic) === EVAL);
    assert.ok(evalDiagnostic, `no ${EVAL} on src/server.js: ${server.map(ruleOf).join(', ')}`);
    // `  return eval(input);` is line 4, `eval` at column 10 (1-based) -> line 3, character 9.
    assert.deepEqual([evalDiagnostic.range.start.line, evalDiagnostic.range.start.character], [3, 9]);
    assert.equal(evalDiagnostic.severity, vscode.DiagnosticSeverity.Error);
    const code = evalDiagnostic.code as { value: string; target: vscode.Uri };
    // The rules endpoint's docsUrl on the connected server. vscode.Uri keeps paths decoded, so the
    // %2F of the encoded rule id reads as '/' here (see docs/extension.md, "Code analysis").
    assert.equal(`${code.target.scheme}://${code.target.authority}`, api.connection.state.serverUrl);
    assert.equal(code.target.path, `/api/v1/analysis/rules/${EVAL}`);
    // The link as VS Code would open it resolves to the rule's page.
    const page = await fetch(code.target.toString(), { headers: { accept: 'text/html' } });
    assert.equal(page.status, 200, code.target.toString());
    assert.match(await page.text(), new RegExp(`<code>${EVAL}</code>`));
    const tls = server.find((diagnostic) => ruleOf(diagnostic) === TLS);
    assert.equal(tls?.range.start.line, 6, 'rejectUnauthorized: false is on line 7');

    const python = nyxDiagnostics('src/fetch.py');
    assert.deepEqual(python.map((diagnostic) => [ruleOf(diagnostic), diagnostic.range.start.line]), [[TLS, 4]]);
    assert.deepEqual(vscode.languages.getDiagnostics(fileUri('generated/bundle.js')), []);
    assert.match(api.analysis.statusBar.text, /\$\(error\) [1-9]/);
  });

  it('lists the findings in the Findings view by file then severity, or by severity then file; a click opens the range', async () => {
    const api = await ensureConnected();
    const tree = api.analysis.tree;
    await vscode.commands.executeCommand('nyx.toggleFindingsGrouping', 'file');
    const files = tree.getChildren();
    const serverFile = files.find((node) => node.kind === 'file' && node.uri.toString() === fileUri('src/server.js').toString());
    assert.ok(serverFile, `src/server.js is not in the view: ${files.map((node) => node.id).join(', ')}`);
    const [errors] = tree.getChildren(serverFile);
    assert.equal(errors.kind === 'severity' && errors.severity, 'error');
    const findings = tree.getChildren(errors);
    const evalNode = findings.find((node): node is Extract<FindingsNode, { kind: 'finding' }> => node.kind === 'finding' && node.located.finding.ruleId === EVAL);
    assert.ok(evalNode);
    const item = tree.getTreeItem(evalNode);
    assert.equal(item.command?.command, 'vscode.open');
    assert.equal((item.command?.arguments?.[1] as vscode.TextDocumentShowOptions).selection?.start.line, 3);

    await vscode.commands.executeCommand(item.command.command, ...(item.command.arguments ?? []));
    await waitFor('the editor at the finding', () => vscode.window.activeTextEditor?.document.uri.path.endsWith('src/server.js') && vscode.window.activeTextEditor.selection.start.line === 3);

    assert.equal(await vscode.commands.executeCommand('nyx.toggleFindingsGrouping'), 'severity');
    // Other suites may seed more fixture files: assert on the ones this suite seeded.
    const severities = tree.getChildren().map((node) => (node.kind === 'severity' ? node.severity : node.kind));
    assert.equal(severities[0], 'error');
    assert.ok(severities.every((kind) => ['error', 'warning', 'info'].includes(kind)), severities.join(', '));
    const byFile = tree.getChildren(tree.getChildren()[0]).map((node) => (node.kind === 'file' ? vscode.workspace.asRelativePath(node.uri) : node.kind));
    assert.ok(byFile.includes('src/fetch.py') && byFile.includes('src/server.js'), byFile.join(', '));
    await vscode.commands.executeCommand('nyx.toggleFindingsGrouping', 'file');
  });

  it('offers the quick fixes; "Apply fix" edits the file', async () => {
    const uri = fileUri('src/fetch.py');
    const [diagnostic] = nyxDiagnostics('src/fetch.py');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diagnostic.range);
    const titles = actions.map((action) => action.title);
    assert.ok(titles.includes(`Dismiss for the team: ${TLS}…`), titles.join(' | '));
    assert.ok(titles.includes(`Show details of ${TLS}`), titles.join(' | '));
    assert.ok(titles.some((title) => /^Ask .+ to fix$/.test(title)), titles.join(' | '));
    const fix = actions.find((action) => action.title.startsWith('Apply fix: '));
    assert.ok(fix?.edit, `no fix among ${titles.join(' | ')}`);

    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.equal(document.getText(), 'import requests\n\n\ndef fetch(url):\n    return requests.get(url, verify=True)\n');
    assert.ok(await document.save());
    // The fixed file no longer matches what was analyzed: no more stale fixes for it.
    const after = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diagnostic.range);
    assert.ok(!after.some((action) => action.title.startsWith('Apply fix: ')));
  });

  it('re-analysis after editing one file uploads exactly one blob and analyzes one file; the fixed finding disappears', async () => {
    const second = await analyze();
    assert.equal(second.files, first.files);
    assert.equal(second.missing, 1);
    assert.equal(second.upload.uploaded, 1);
    assert.equal(second.upload.created, 1);
    assert.equal(second.result?.analyzed, 1);
    assert.equal(second.result?.cacheHits, second.files - 1);
    assert.ok((second.result?.fixed ?? 0) >= 1);
    await waitFor('the TLS diagnostic on fetch.py to go', () => nyxDiagnostics('src/fetch.py').length === 0);
  });

  it('"Explain" shows the finding with its rule docs', async () => {
    const api = await ensureConnected();
    const finding = api.analysis.findings.findingsOf(project.id).find((candidate) => candidate.ruleId === EVAL);
    assert.ok(finding);
    const markdown = await vscode.commands.executeCommand<string>('nyx.explainFinding', finding.id);
    assert.ok(markdown.includes(finding.message), markdown);
    assert.ok(markdown.includes('Code evaluated from dynamic input'), 'no rule title');
    assert.ok(markdown.length > finding.message.length + 200, 'no rule docs');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('"Ask … to fix" starts an autofix run for the finding', async () => {
    const api = await ensureConnected();
    const finding = api.analysis.findings.findingsOf(project.id).find((candidate) => candidate.ruleId === TLS);
    assert.ok(finding);
    const run = await vscode.commands.executeCommand<Run | undefined>('nyx.askPersonaToFix', finding.id);
    assert.ok(run, 'no run started');
    assert.equal(run.kind, 'autofix');
    assert.deepEqual(run.input.findingIds, [finding.id]);
    const done = await waitFor('the auto-fix run to end', () => {
      const held = api.runs.get(run.id);
      return held && ['succeeded', 'failed', 'cancelled'].includes(held.status) ? held : undefined;
    }, 30_000);
    assert.equal(done.status, 'succeeded', done.error ?? '');
    assert.equal((done.result as { mode: string }).mode, 'deterministic');
  });

  it('dismissing from the command removes the diagnostic; the server records who and why', async () => {
    const api = await ensureConnected();
    const finding = api.analysis.findings.findingsOf(project.id).find((candidate) => candidate.ruleId === TLS);
    assert.ok(finding);
    const dismissed = await vscode.commands.executeCommand<StoredFinding>('nyx.dismissFinding', finding.id, 'test agent only, never deployed');
    assert.equal(dismissed.status, 'dismissed');
    assert.ok(!nyxDiagnostics('src/server.js').some((diagnostic) => ruleOf(diagnostic) === TLS), 'the dismissed diagnostic is still shown');
    const stored = await callServer<StoredFinding>('GET', `/api/v1/findings/${finding.id}`);
    assert.equal(stored.dismissedReason, 'test agent only, never deployed');
    assert.equal(stored.dismissedBy, api.connection.state.kind === 'connected' ? api.connection.state.me.user.id : 'connected');
  });

  it('a dismissal by a teammate (another client) reaches this editor live and removes the diagnostic', async () => {
    const evalDiagnostic = nyxDiagnostics('src/server.js').find((diagnostic) => ruleOf(diagnostic) === EVAL);
    assert.ok(evalDiagnostic);
    const api = await ensureConnected();
    const finding = api.analysis.findings.findingsOf(project.id).find((candidate) => candidate.ruleId === EVAL);
    assert.ok(finding);
    await callServer('POST', `/api/v1/findings/${finding.id}/dismiss`, { reason: 'sandboxed evaluator' });
    await waitFor('the findings.changed notice to remove the diagnostic', () => !nyxDiagnostics('src/server.js').some((diagnostic) => ruleOf(diagnostic) === EVAL));
    assert.ok(!api.analysis.tree.getChildren().some((node) => node.kind === 'file' && node.uri.path.endsWith('src/server.js') && node.items.some((item) => item.finding.id === finding.id)));
  });
});

// A hand-built finding with a flow, as the server stores them (protocol/analysis.ts StoredFinding).
function flowFinding(projectId: string): StoredFinding {
  const at = (line: number, start: number, end: number) => ({ startLine: line, startColumn: start, endLine: line, endColumn: end });
  return {
    id: '00000000-0000-4000-8000-000000000001', projectId, path: 'src/routes/users.js', ruleId: 'nyx/taint/sql-injection', severity: 'error',
    message: 'Request parameter `id` reaches db.query', range: at(5, 3, 45), fix: null,
    flow: [
      { kind: 'source', path: 'src/routes/users.js', range: at(4, 13, 25), message: 'request parameter `id` read' },
      { kind: 'step', path: 'src/db/helpers.js', range: at(10, 5, 30), message: 'passed to buildQuery' },
      { kind: 'sink', path: 'src/routes/users.js', range: at(5, 3, 45), message: 'executed by db.query' },
    ],
    cwe: ['CWE-89'], owasp: ['A03:2021 Injection'], fingerprint: '0'.repeat(32), source: 'builtin', status: 'open',
    dismissedBy: null, dismissedReason: null, dismissedAt: null, resolution: null, firstSeenSnapshotId: '00000000-0000-4000-8000-000000000002',
    lastSeenSnapshotId: '00000000-0000-4000-8000-000000000002', docsUrl: '/api/v1/analysis/rules/nyx%2Ftaint%2Fsql-injection', createdAt: '2026-12-02T00:00:00.000Z', updatedAt: '2026-12-02T00:00:00.000Z',
  };
}

describe('Flow paths in the editor (findings with a data-flow path)', () => {
  it('a flow finding becomes a diagnostic with one related information per step, in order, at each step\'s file and range', () => {
    const finding = flowFinding('p');
    const diagnostic = toFindingDiagnostic(finding, { fileUri: (path) => fileUri(path), docsUri: vscode.Uri.parse('http://127.0.0.1:1/api/v1/analysis/rules/x') });
    assert.equal(diagnostic.source, 'Nyx');
    assert.deepEqual([diagnostic.range.start.line, diagnostic.range.start.character], [4, 2]);
    assert.deepEqual(
      (diagnostic.relatedInformation ?? []).map((info) => [vscode.workspace.asRelativePath(info.location.uri), info.location.range.start.line, info.location.range.start.character, info.location.range.end.character, info.message]),
      [
        ['src/routes/users.js', 3, 12, 24, 'Source: request parameter `id` read'],
        ['src/db/helpers.js', 9, 4, 29, 'Step: passed to buildQuery'],
        ['src/routes/users.js', 4, 2, 44, 'Sink: executed by db.query'],
      ],
    );
    const plain = toFindingDiagnostic({ ...finding, flow: null }, { fileUri, docsUri: vscode.Uri.parse('http://127.0.0.1:1/') });
    assert.equal(plain.relatedInformation, undefined, 'a pattern finding has no related information');
  });

  it('the explanation shows severity, CWE (linked), OWASP, why it matters, both examples and the flow with clickable places', () => {
    const rule: RuleWithDocs = {
      id: 'nyx/taint/sql-injection', title: 'SQL built from untrusted input', severity: 'error', languages: ['javascript'], fixable: false,
      docs: 'Untrusted data changes the meaning of the query.', cwe: ['CWE-89'], owasp: ['A03:2021 Injection'],
      examples: { language: 'javascript', vulnerable: 'db.query("… id=" + q)', fixed: 'db.query("… id=$1", [q])' },
      references: ['https://owasp.org/www-community/attacks/SQL_Injection'], docsUrl: '/api/v1/analysis/rules/x',
    };
    const markdown = explanationOf(flowFinding('p'), rule, fileUri);
    assert.match(markdown, /\*\*Severity:\*\* error/);
    assert.match(markdown, /\*\*CWE:\*\* \[CWE-89\]\(https:\/\/cwe\.mitre\.org\/data\/definitions\/89\.html\)/);
    assert.match(markdown, /\*\*OWASP Top 10:\*\* A03:2021 Injection/);
    assert.match(markdown, /## Why it matters\n\nUntrusted data changes the meaning of the query\./);
    assert.match(markdown, /\*\*Vulnerable:\*\*\n\n```javascript\ndb\.query\("… id=" \+ q\)\n```/);
    assert.match(markdown, /\*\*Fixed:\*\*\n\n```javascript\ndb\.query\("… id=\$1", \[q\]\)\n```/);
    const source = fileUri('src/routes/users.js').with({ fragment: 'L4,13' }).toString();
    const step = fileUri('src/db/helpers.js').with({ fragment: 'L10,5' }).toString();
    assert.ok(markdown.includes(`1. **Source** [\`src/routes/users.js:4:13\`](${source}): request parameter \`id\` read`), markdown);
    assert.ok(markdown.includes(`2. **Step** [\`src/db/helpers.js:10:5\`](${step}): passed to buildQuery`), markdown);
    assert.match(markdown, /3\. \*\*Sink\*\* \[`src\/routes\/users\.js:5:3`\]/);
  });

  // End to end: needs the taint engine (issue #15) to report the flow; until it lands this test fails.
  it('analyzing an Express handler that puts a query parameter into SQL shows the path as related information', async function () {
    this.timeout(90_000); // a full analysis of the fixture folder, then the diagnostics
    const api = await ensureConnected();
    const project = await callServer<Project>('POST', '/api/v1/projects', { name: uniqueName('Flow') });
    await api.selection.select(project, folder());
    const path = 'src/flow/express-sql.js';
    const source = [
      "const express = require('express');",
      'const app = express();',
      "app.get('/', (req, res) => {",
      '  const q = req.query.id;',
      '  db.query("SELECT * FROM t WHERE id=" + q);',
      '});',
      '',
    ].join('\n');
    await vscode.workspace.fs.writeFile(fileUri(path), Buffer.from(source));
    try {
      await analyze();
      const withFlow = await waitFor('a diagnostic with a flow on the Express file', () => nyxDiagnostics(path).find((diagnostic) => (diagnostic.relatedInformation?.length ?? 0) >= 2), 20_000);
      const related = withFlow.relatedInformation!;
      assert.equal(withFlow.range.start.line, 4, 'reported at the sink (line 5)');
      assert.ok(related.every((info) => info.location.uri.toString() === fileUri(path).toString()), 'every step is in this file');
      assert.equal(related[0]!.location.range.start.line, 3, 'the source is `req.query.id` on line 4');
      assert.match(related[0]!.message, /^Source: /);
      assert.equal(related[related.length - 1]!.location.range.start.line, 4, 'the sink is the db.query call on line 5');
      assert.match(related[related.length - 1]!.message, /^Sink: /);
      const finding = api.analysis.findings.findingsOf(project.id).find((candidate) => candidate.path === path && candidate.flow);
      assert.ok(finding, 'the diagnostic has no finding with a flow behind it');
      assert.ok(finding.cwe.includes('CWE-89'), `the finding names CWE-89: ${JSON.stringify(finding.cwe)}`);
      const markdown = await vscode.commands.executeCommand<string>('nyx.explainFinding', finding.id);
      assert.match(markdown, /## Data flow/);
      assert.ok(markdown.includes(fileUri(path).with({ fragment: `L4,${finding.flow![0]!.range.startColumn}` }).toString()), markdown);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    } finally {
      await vscode.workspace.fs.delete(fileUri('src/flow'), { recursive: true });
    }
  });
});

describe('GitHub import and sync', () => {
  const token = 'ghp_extensiontest0123456789';
  let github: FakeGithub;

  before(async () => {
    const api = await ensureConnected();
    github = await startFakeGithub({ token });
    github.setRepo('octo', 'shop', { 'src/app.js': 'module.exports = (input) => eval(input);\n', 'README.md': '# shop\n', 'docs/notes.md': 'notes\n' });
    const project = await callServer<Project>('POST', '/api/v1/projects', { name: uniqueName('GitHub') });
    await api.selection.select(project, folder());
  });

  after(() => github?.close());

  it('"Import from GitHub" links the repository, stores the token on the server and syncs with progress', async () => {
    const outcome = await vscode.commands.executeCommand<GithubSyncOutcome | undefined>('nyx.importFromGithub', { owner: 'octo', repo: 'shop', branch: '', scanPath: '/', token, baseUrl: github.url });
    assert.equal(outcome?.done?.status, 'succeeded', outcome?.done?.error ?? 'no outcome');
    assert.deepEqual([outcome.result?.files, outcome.result?.fetched, outcome.result?.scanPath], [3, 3, '/']);
    const info = await callServer<{ configured: boolean; tokenHint: string }>('GET', '/api/v1/github/token');
    assert.equal(info.configured, true);
    assert.ok(token.endsWith(info.tokenHint.replace(/^…/, '')));
    const api = await ensureConnected();
    const project = await callServer<Project>('GET', `/api/v1/projects/${api.selection.current(folder())!.id}`);
    assert.deepEqual(project.github, { owner: 'octo', repo: 'shop', branch: null });
  });

  it('"Sync from GitHub" downloads only the changed blob', async () => {
    const before = github.blobDownloads();
    github.setRepo('octo', 'shop', { 'src/app.js': 'module.exports = (input) => JSON.parse(input);\n', 'README.md': '# shop\n', 'docs/notes.md': 'notes\n' });
    const outcome = await vscode.commands.executeCommand<GithubSyncOutcome | undefined>('nyx.syncFromGithub');
    assert.equal(outcome?.done?.status, 'succeeded', outcome?.done?.error ?? 'no outcome');
    assert.deepEqual([outcome.result?.fetched, outcome.result?.reused], [1, 2]);
    assert.equal(github.blobDownloads() - before, 1);
  });
});
