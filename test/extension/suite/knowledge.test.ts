// Reports, notes, memory and digests in a real VS Code against the live server: the Reports view,
// the report viewer webview (rendered TOC read back from the webview, raw HTML inert, downloads),
// Add Note from a selection, enrichment with citations, memory search, digests.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { Digest } from '#protocol/digests.ts';
import type { MemoryEntry, MemorySearchHit } from '#protocol/memory.ts';
import type { Note } from '#protocol/notes.ts';
import type { Project } from '#protocol/projects.ts';
import type { Report } from '#protocol/reports.ts';
import { REPORT_VIEWER_VIEW_TYPE } from '#protocol/webview.ts';
import type { ReportViewerView } from '#protocol/webview.ts';
import type { ReportViewer } from '../../../extension/reports/report-viewer.ts';
import { callServer, ensureConnected, uniqueName, waitFor } from './helpers.ts';

const REPORT_MARKDOWN = [
  '# Weekly analysis',
  '',
  'Findings of the week, with *emphasis* and a [link](https://example.com).',
  '',
  '## Findings by severity',
  '',
  '| Severity | Count |',
  '|---|---:|',
  '| error | 2 |',
  '| warning | 5 |',
  '',
  '## The fix',
  '',
  '```ts',
  'export function add(a: number, b: number): number {',
  '  return a + b;',
  '}',
  '```',
  '',
  '### Quoted model output',
  '',
  '<script>document.title = "pwned"; window.parent.postMessage("pwned", "*")</script>',
  '',
  '<img src="x" onerror="document.title = \'pwned\'">',
  '',
].join('\n');

describe('Reports, notes, memory and digests', function () {
  this.timeout(90_000);
  let project: Project;
  let report: Report;
  let viewer: ReportViewer;
  let note: Note;
  let convention: MemoryEntry;
  const scratch = mkdtempSync(path.join(tmpdir(), 'nyx-knowledge-'));

  async function describeViewer(until: (view: ReportViewerView) => boolean): Promise<ReportViewerView> {
    return waitFor('the report viewer to render', async () => {
      const view = await viewer.host.request('describeView', {});
      return until(view) ? view : undefined;
    });
  }

  before(async () => {
    const api = await ensureConnected();
    project = await callServer<Project>('POST', '/api/v1/projects', { name: uniqueName('Knowledge') });
    await api.selection.select(project, vscode.workspace.workspaceFolders![0]);
    convention = await callServer<MemoryEntry>('POST', `/api/v1/projects/${project.id}/memory`, { kind: 'convention', text: 'Never eval input that comes from a request: parse it with a schema instead.' });
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('lists a report created through the API in the Reports view: kind icon, title, date, click opens the viewer', async () => {
    const api = await ensureConnected();
    report = await callServer<Report>('POST', '/api/v1/reports', { projectId: project.id, kind: 'analysis', markdown: REPORT_MARKDOWN });
    await vscode.commands.executeCommand('nyx.refreshReports');
    const listed = api.reports.tree.getChildren().find((summary) => summary.id === report.id);
    assert.ok(listed, `the report is not in the view: ${api.reports.tree.getChildren().map((summary) => summary.title).join(', ')}`);
    const item = api.reports.tree.getTreeItem(listed);
    assert.equal(item.label, `${project.name} — Analysis — ${report.createdAt.slice(0, 10)}`);
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'checklist');
    assert.equal(item.description, new Date(report.createdAt).toLocaleDateString());
    assert.deepEqual([item.command?.command, item.command?.arguments], ['nyx.openReport', [report.id]]);
  });

  it('opens the viewer: the title, a TOC of the headings (read back from the webview), highlighted code, a table; a TOC click scrolls', async () => {
    const api = await ensureConnected();
    assert.equal(await vscode.commands.executeCommand('nyx.openReport', report.id), report.id);
    const opened = api.reports.viewers.get(report.id);
    assert.ok(opened, 'no viewer for the report');
    viewer = opened;
    const view = await describeViewer((described) => described.toc.length > 0);
    assert.equal(view.title, report.title);
    assert.deepEqual(view.toc, [
      { level: 1, text: 'Weekly analysis', id: 'weekly-analysis' },
      { level: 2, text: 'Findings by severity', id: 'findings-by-severity' },
      { level: 2, text: 'The fix', id: 'the-fix' },
      { level: 3, text: 'Quoted model output', id: 'quoted-model-output' },
    ]);
    assert.equal(view.codeBlocks, 1);
    assert.equal(view.highlightedBlocks, 1, 'the TypeScript block is not highlighted');
    assert.equal(view.tables, 1);
    assert.match(view.theme, /^vscode-(light|dark|high-contrast|high-contrast-light)$/);
    assert.equal(viewer.panel.title, `Report: ${report.title}`);
    assert.deepEqual(await viewer.host.request('clickTocEntry', { id: 'the-fix' }), { scrolledTo: 'The fix' });
  });

  it('shows raw HTML from the Markdown as text: no script element, no event handler, nothing ran', async () => {
    const view = await describeViewer(() => true);
    assert.equal(view.scriptsInBody, 0);
    assert.equal(view.inlineHandlers, 0);
    assert.ok(view.bodyText.includes('<script>document.title = "pwned"'), `the script tag is not shown as text: ${view.bodyText}`);
    assert.ok(view.bodyText.includes('<img src="x" onerror='), 'the img tag is not shown as text');
    assert.notEqual(viewer.panel.title, 'pwned');
  });

  it('Download Markdown writes the report byte for byte', async () => {
    const target = path.join(scratch, 'report.md');
    assert.equal(await vscode.commands.executeCommand('nyx.downloadReportMarkdown', report.id, target), target);
    assert.equal(readFileSync(target, 'utf8'), REPORT_MARKDOWN);
  });

  it('Download PDF writes a PDF (the live server finds Chromium)', async () => {
    const target = path.join(scratch, 'report.pdf');
    assert.equal(await vscode.commands.executeCommand('nyx.downloadReportPdf', { ...report }, target), target);
    const bytes = readFileSync(target);
    assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.ok(bytes.length > 5_000, `only ${bytes.length} bytes`);
  });

  it('restores a viewer from what its webview persisted (the serializer after a reload)', async () => {
    const api = await ensureConnected();
    viewer.panel.dispose();
    const panel = vscode.window.createWebviewPanel(REPORT_VIEWER_VIEW_TYPE, 'Report', vscode.ViewColumn.Active, { enableScripts: true });
    const stale = { id: report.id, kind: 'analysis', kindLabel: 'Analysis', title: 'Kept title', createdAt: report.createdAt, markdown: '# Kept heading' };
    const restored = api.reports.viewers.restore(panel, { reportId: report.id, state: { report: stale, error: null } });
    assert.ok(restored);
    viewer = restored;
    await restored.loaded;
    const view = await describeViewer((described) => described.title === report.title);
    assert.equal(view.toc.length, 4, 'the server\'s copy replaced the kept one');
  });

  it('Add Note from a selection: the file, the range, the selected text quoted; listed in the Notes view; a click opens the range', async () => {
    const api = await ensureConnected();
    const uri = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'src/server.js');
    const editor = await vscode.window.showTextDocument(uri);
    editor.selection = new vscode.Selection(2, 0, 4, 1); // `function run(input) {` … `}`
    const created = await vscode.commands.executeCommand<Note | undefined>('nyx.addNote', 'eval on request input\nThe input comes straight from the request body.');
    assert.ok(created, 'no note created');
    note = created;
    assert.equal(note.title, 'eval on request input');
    assert.deepEqual(note.location, { path: 'src/server.js', startLine: 3, startColumn: 1, endLine: 5, endColumn: 2 });
    assert.ok(note.body.startsWith('The input comes straight from the request body.'), note.body);
    assert.ok(note.body.includes('From `src/server.js`, lines 3-5:\n\n```javascript\nfunction run(input) {\n  return eval(input);\n}\n```'), note.body);
    assert.deepEqual(await callServer<Note>('GET', `/api/v1/notes/${note.id}`).then((stored) => stored.location), note.location);

    const node = api.notes.tree.getChildren().find((candidate) => candidate.kind === 'note' && candidate.note.id === note.id);
    assert.ok(node, 'the note is not in the Notes view');
    const item = api.notes.tree.getTreeItem(node);
    assert.equal(item.description, 'src/server.js:3-5');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand(item.command!.command, ...(item.command!.arguments ?? []));
    await waitFor('the editor at the note', () => vscode.window.activeTextEditor?.document.uri.path.endsWith('src/server.js') && vscode.window.activeTextEditor.selection.start.line === 2 && vscode.window.activeTextEditor.selection.end.line === 4);
  });

  it('Enrich Note: the run completes and the note shows what it cites (Notes view children, the note document)', async () => {
    const api = await ensureConnected();
    const enriched = await vscode.commands.executeCommand<Note | undefined>('nyx.enrichNote', note.id);
    assert.ok(enriched?.enrichment, 'the note was not enriched');
    const citations = enriched.enrichment.citations;
    assert.ok(citations.some((citation) => citation.type === 'memory' && citation.id === convention.id), `the convention is not cited: ${JSON.stringify(citations)}`);

    const node = api.notes.tree.getChildren().find((candidate) => candidate.kind === 'note' && candidate.note.id === note.id);
    assert.ok(node);
    assert.equal(api.notes.tree.getTreeItem(node).collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    const cited = api.notes.tree.getChildren(node).map((child) => (child.kind === 'citation' ? api.notes.tree.getTreeItem(child).label : ''));
    assert.deepEqual(cited, citations.map((citation) => `${citation.ref} ${citation.title}`));

    const shown = await vscode.commands.executeCommand<string>('nyx.showNote', note.id);
    assert.ok(shown.includes('## Enrichment'), shown);
    assert.ok(shown.includes('## Sources'), shown);
    const memoryRef = citations.find((citation) => citation.id === convention.id)!.ref;
    assert.ok(shown.includes(`[${memoryRef}]`), `the note does not show ${memoryRef}: ${shown}`);
  });

  it('Remember… then Search Project Memory… shows the entry as the top hit (memory, ranked by text and vector)', async () => {
    const api = await ensureConnected();
    // The previous test's Markdown preview may still take the focus, which closes a quick pick.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const word = `zebracorn${Date.now().toString(36)}`;
    const entry = await vscode.commands.executeCommand<MemoryEntry>('nyx.remember', 'decision', `We chose ${word} queues for background jobs.`);
    assert.equal(entry.kind, 'decision');
    assert.equal(entry.source, 'user');

    const shown = new Promise<MemorySearchHit[]>((resolve) => {
      const listener = api.memory.onDidShowHits((hits) => {
        listener.dispose();
        resolve(hits);
      });
    });
    const picked = vscode.commands.executeCommand<MemorySearchHit | undefined>('nyx.searchMemory', `${word} queues`);
    const hits = await Promise.race([shown, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the search quick pick showed no hits within 20 s (see the Nyx log)')), 20_000))]);
    assert.equal(hits[0]?.id, entry.id, `not the first hit: ${JSON.stringify(hits.slice(0, 3))}`);
    assert.equal(hits[0]?.type, 'memory');
    assert.ok(hits[0]!.textRank !== null && hits[0]!.score > 0);
    // Accepting from the extension host (acceptSelectedQuickOpenItem) does not reach code-server's
    // quick input; dismissing does: the command then answers undefined and leaves nothing open.
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.equal(await picked, undefined);
  });

  it('Generate Digest… runs a digest and opens its report in the viewer', async () => {
    const api = await ensureConnected();
    const periodEnd = new Date().toISOString();
    const periodStart = new Date(Date.now() - 7 * 24 * 3600 * 1000).toISOString();
    const digest = await vscode.commands.executeCommand<Digest | undefined>('nyx.generateDigest', { periodStart, periodEnd });
    assert.ok(digest, 'no digest');
    assert.equal(digest.status, 'draft');
    const digestViewer = api.reports.viewers.get(digest.reportId);
    assert.ok(digestViewer, 'the digest report is not open');
    const view = await waitFor('the digest report to render', async () => {
      const described = await digestViewer.host.request('describeView', {});
      return described.toc.length > 0 ? described : undefined;
    });
    assert.ok(view.title.includes('Digest'), view.title);
    await waitFor('the digest report in the Reports view', () => api.reports.tree.getChildren().some((summary) => summary.id === digest.reportId && summary.kind === 'digest'));
  });

  it('a run that ends with a report (started elsewhere) shows up in the Reports view by itself', async () => {
    const api = await ensureConnected();
    const before = new Set(api.reports.store.reports.map((summary) => summary.id));
    // Another client starts a digest of another period: its report arrives through the tenant stream's run.finished.
    await callServer('POST', `/api/v1/projects/${project.id}/digests`, { periodStart: new Date(Date.now() - 30 * 24 * 3600 * 1000).toISOString(), periodEnd: new Date().toISOString() });
    await waitFor('a new digest report in the view', () => api.reports.tree.getChildren().some((summary) => !before.has(summary.id) && summary.kind === 'digest'), 30_000);
  });

  it('Delete Report removes it from the view and closes its viewer', async () => {
    const api = await ensureConnected();
    assert.equal(await vscode.commands.executeCommand('nyx.deleteReport', report.id, { confirmed: true }), true);
    assert.ok(!api.reports.tree.getChildren().some((summary) => summary.id === report.id));
    assert.equal(api.reports.viewers.get(report.id), undefined);
    await assert.rejects(callServer('GET', `/api/v1/reports/${report.id}`), /404/);
  });
});
