// The policy library in a real VS Code against the live server: the starter set installed from
// the palette command, the Policies view (documents → versions → clauses), clause documents,
// uploads (a new version keeps the old one readable; a document with no clauses is refused and
// nothing is stored), and a compliance review whose gap findings become diagnostics whose code
// link opens the clause they cite.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { ControlMatrix, PolicyDocumentSummary, PolicyUploadResult, StarterInstallResult } from '#protocol/policies.ts';
import type { Project } from '#protocol/projects.ts';
import type { PoliciesNode } from '../../../extension/policies/policies-tree.ts';
import { callServer, ensureConnected, uniqueName, waitFor } from './helpers.ts';

const STARTER_KEYS = ['access-control', 'logging-monitoring', 'personal-data', 'secrets-keys', 'secure-coding'];

function folder(): vscode.WorkspaceFolder {
  const first = vscode.workspace.workspaceFolders?.[0];
  assert.ok(first, 'no workspace folder');
  return first;
}

function label(item: vscode.TreeItem): string {
  return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
}

async function policyDocuments(): Promise<PolicyDocumentSummary[]> {
  return (await callServer<{ items: PolicyDocumentSummary[] }>('GET', '/api/v1/policies')).items;
}

describe('Policies', function () {
  this.timeout(120_000);
  const scratch = mkdtempSync(path.join(tmpdir(), 'nyx-policies-'));
  const key = `retention-${Date.now().toString(36)}`;

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('"Install Starter Policies" installs the five starter policies and the view lists them', async () => {
    const api = await ensureConnected();
    const result = await vscode.commands.executeCommand<StarterInstallResult>('nyx.installStarterPolicies');
    assert.ok(result, 'the command failed');
    assert.deepEqual(result.items.map((item) => item.key).sort(), STARTER_KEYS);
    const roots = await api.policies.tree.getChildren();
    const titles = roots.map((node) => label(api.policies.tree.getTreeItem(node)));
    for (const item of result.items) assert.ok(titles.includes(item.title), `${item.title} is not in the view: ${titles.join(', ')}`);
    const secureCoding = roots.find((node) => node.kind === 'document' && node.document.key === 'secure-coding')!;
    const item = api.policies.tree.getTreeItem(secureCoding);
    assert.match(String(item.description), /^v\d+ · \d+ clauses · starter$/);
  });

  it('unfolds a document into its versions and the latest version into numbered clauses; a click opens the clause', async () => {
    const api = await ensureConnected();
    const document = (await api.policies.tree.getChildren()).find((node) => node.kind === 'document' && node.document.key === 'secure-coding')!;
    const versions = await api.policies.tree.getChildren(document);
    assert.ok(versions.length >= 1);
    const latest = versions[0]!;
    assert.equal(api.policies.tree.getTreeItem(latest).collapsibleState, vscode.TreeItemCollapsibleState.Expanded, 'the latest version opens unfolded');
    const clauses = await api.policies.tree.getChildren(latest);
    const injection = clauses.find((node): node is Extract<PoliciesNode, { kind: 'clause' }> => node.kind === 'clause' && node.clause.cwes.includes('CWE-89'));
    assert.ok(injection, 'no clause covers CWE-89');
    const item = api.policies.tree.getTreeItem(injection);
    assert.match(label(item), /^§2 Database queries are parameterised$/);
    assert.match(String(item.description), /CWE-89.*ISO 27001:2022 A\.8\.28/);
    assert.equal(item.command?.command, 'nyx.openPolicyClause');

    const shown = await vscode.commands.executeCommand<string>(item.command.command, ...(item.command.arguments ?? []));
    assert.ok(shown, 'the clause was not shown');
    assert.match(shown, /^# Secure Coding Policy §2 Database queries are parameterised/);
    assert.match(shown, /cited as `nyx\/policy\/secure-coding\/2`/);
    assert.match(shown, /bound parameters/);
    assert.match(shown, /\*\*Covers:\*\* CWE-89, CWE-943/);
    const open = vscode.workspace.textDocuments.find((doc) => doc.uri.scheme === 'nyx-policy' && doc.getText() === shown);
    assert.ok(open, 'no nyx-policy document holds the clause');
  });

  it('"Upload Policy..." stores a Markdown file; uploading it again changed is version 2 and version 1 stays readable', async () => {
    const api = await ensureConnected();
    const file = path.join(scratch, 'retention.md');
    writeFileSync(file, '# Data Retention\n\n## 1 Keep order records\nOrder records are kept for 10 years.\nControls: GDPR Art. 5\n\n## 2 Delete logs\nLogs are deleted after 30 days.\n');
    const first = await vscode.commands.executeCommand<PolicyUploadResult>('nyx.uploadPolicy', { uri: vscode.Uri.file(file), key });
    assert.ok(first, 'the first upload failed');
    assert.equal(first.created, true);
    assert.equal(first.version.version, 1);
    assert.equal(first.version.clauseCount, 2);

    writeFileSync(file, '# Data Retention\n\n## 1 Keep order records\nOrder records are kept for 8 years.\nControls: GDPR Art. 5\n\n## 2 Delete logs\nLogs are deleted after 14 days.\n\n## 3 Backups\nBackups expire after 35 days.\n');
    const second = await vscode.commands.executeCommand<PolicyUploadResult>('nyx.uploadPolicy', { uri: vscode.Uri.file(file), key });
    assert.ok(second, 'the second upload failed');
    assert.equal(second.version.version, 2);
    assert.equal(second.document.id, first.document.id, 'the same key is the same document');

    const document = (await api.policies.tree.getChildren()).find((node) => node.kind === 'document' && node.document.key === key);
    assert.ok(document, 'the uploaded policy is not in the view');
    const versions = await api.policies.tree.getChildren(document);
    assert.deepEqual(versions.map((node) => label(api.policies.tree.getTreeItem(node))), ['Version 2', 'Version 1']);
    const older = await api.policies.tree.getChildren(versions[1]!);
    const olderText = older.map((node) => (node.kind === 'clause' ? node.clause.text : '')).join('\n');
    assert.match(olderText, /10 years/);
    assert.doesNotMatch(olderText, /Backups/);
    const newer = await api.policies.tree.getChildren(versions[0]!);
    assert.equal(newer.length, 3);

    const shown = await vscode.commands.executeCommand<string>('nyx.openPolicyVersion', versions[1]);
    assert.ok(shown?.includes('Order records are kept for 10 years.'), `version 1's text was not shown: ${shown}`);
  });

  it('refuses a document with no clauses and a file type it cannot read, and stores nothing', async () => {
    const before = await policyDocuments();
    const empty = path.join(scratch, 'nothing.md');
    writeFileSync(empty, '# Just a title\n');
    const refused = await vscode.commands.executeCommand<PolicyUploadResult | undefined>('nyx.uploadPolicy', { uri: vscode.Uri.file(empty), key: `${key}-empty` });
    assert.equal(refused, undefined, 'a document with no clauses was accepted');
    const word = path.join(scratch, 'policy.docx');
    writeFileSync(word, 'PK\u0003\u0004 not really a Word file');
    const unreadable = await vscode.commands.executeCommand<PolicyUploadResult | undefined>('nyx.uploadPolicy', { uri: vscode.Uri.file(word) });
    assert.equal(unreadable, undefined);
    const after = await policyDocuments();
    assert.deepEqual(after.map((d) => `${d.key}@${d.latestVersion}`).sort(), before.map((d) => `${d.key}@${d.latestVersion}`).sort(), 'something was stored');
  });

  it('"Search Policies..." ranks clauses by meaning and words', async () => {
    const result = await callServer<{ items: { documentKey: string; number: string }[] }>('GET', `/api/v1/policies/search?q=${encodeURIComponent('how long do we keep security logs')}&limit=5`);
    assert.ok(result.items.some((hit) => hit.documentKey === 'logging-monitoring' && hit.number === '6'), `retention clause not in the first 5: ${JSON.stringify(result.items)}`);
  });

  describe('compliance review', () => {
    let project: Project;
    let matrix: ControlMatrix;

    before(async () => {
      const api = await ensureConnected();
      project = await callServer<Project>('POST', '/api/v1/projects', { name: uniqueName('Compliance') });
      await api.selection.select(project, folder());
      const analyzed = await vscode.commands.executeCommand<{ done?: { status: string } }>('nyx.analyzeWorkspace');
      assert.equal(analyzed?.done?.status, 'succeeded', 'the analysis did not succeed');
    });

    it('"Run Compliance Review" follows the run and opens the report with the control matrix', async () => {
      const api = await ensureConnected();
      const secureCoding = (await policyDocuments()).find((d) => d.key === 'secure-coding')!;
      const result = await vscode.commands.executeCommand<ControlMatrix>('nyx.runComplianceReview', { projectId: project.id, documentIds: [secureCoding.id] });
      assert.ok(result, 'the review did not finish');
      matrix = result;
      assert.equal(matrix.projectId, project.id);
      assert.deepEqual(matrix.documents.map((d) => d.key), ['secure-coding']);
      const evalRow = matrix.rows.find((row) => row.cwes.includes('CWE-95'));
      assert.ok(evalRow, 'no row for the dynamic-code clause');
      assert.equal(evalRow.status, 'gap', `the eval in src/server.js should be a gap of ${evalRow.citation}`);
      assert.equal(evalRow.assessedBy, 'builtin');
      assert.ok(evalRow.evidence.some((e) => e.path === 'src/server.js'), JSON.stringify(evalRow.evidence));
      assert.ok(matrix.reportId, 'the review saved no report');
      const viewer = api.reports.viewers.get(matrix.reportId);
      assert.ok(viewer, 'the report viewer did not open');
      await viewer.loaded;
      const view = await viewer.host.request('describeView', {});
      assert.ok(view.tables >= 1, 'the report shows no matrix table');
      assert.match(view.bodyText, /§4/);
    });

    it('a clause cited in the report opens when its link is clicked in the viewer', async () => {
      const api = await ensureConnected();
      assert.ok(matrix?.reportId, 'the review saved no report');
      const viewer = api.reports.viewers.get(matrix.reportId)!;
      const clicked = await viewer.host.request('clickLink', { href: '#nyx/policy/secure-coding/4' });
      assert.equal(clicked.clicked, true, 'the matrix has no link to secure-coding §4');
      const opened = await waitFor('the cited clause to open', () =>
        vscode.workspace.textDocuments.find((doc) => doc.uri.scheme === 'nyx-policy' && doc.uri.path.startsWith('/cite/secure-coding/4/')),
      );
      assert.match(opened.getText(), /^# Secure Coding Policy §4 No evaluation of dynamic code/);
    });

    it('a gap finding is a diagnostic whose code link opens the clause it cites', async () => {
      const api = await ensureConnected();
      assert.ok(matrix, 'the review did not run');
      await api.analysis.findings.reload(project.id);
      const uri = vscode.Uri.joinPath(folder().uri, 'src/server.js');
      const diagnostic = await waitFor('the policy gap diagnostic', () =>
        vscode.languages.getDiagnostics(uri).find((d) => typeof d.code === 'object' && String(d.code.value).startsWith('nyx/policy/secure-coding/')),
      );
      assert.ok(typeof diagnostic.code === 'object');
      const target = diagnostic.code.target;
      assert.equal(target.scheme, 'nyx-policy');
      const cited = String(diagnostic.code.value).split('/').pop()!;
      await vscode.commands.executeCommand('vscode.open', target);
      const opened = await waitFor('the clause document', () => vscode.workspace.textDocuments.find((doc) => doc.uri.toString() === target.toString()));
      assert.match(opened.getText(), new RegExp(`^# Secure Coding Policy §${cited.replace('.', '\\.')} `));
      assert.match(opened.getText(), new RegExp(`nyx/policy/secure-coding/${cited.replace('.', '\\.')}`));
    });
  });
});
