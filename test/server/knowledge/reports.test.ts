import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { TestNyx, TestTenant } from '../helpers/nyx.ts';
import { startSelftest } from '../runs/helpers.ts';
import { waitFor } from '../runs/helpers.ts';
import { createLogger } from '#server/logger.ts';
import { PdfRenderer } from '#server/modules/reports/pdf-renderer.ts';
import { buildReportPage } from '#server/modules/reports/pdf-document.ts';
import { markdownToSafeHtml } from '#protocol/markdown-html.ts';
import { call, decodeQrOnFirstPage, fetchBytes, pdfText, runToEnd, teamWithProject } from './helpers.ts';

const MARKDOWN = [
  '# Findings',
  '',
  'Unicode survives: café — naïve — 日本語.',
  '',
  '| Rule | Count |',
  '|---|---:|',
  '| no-eval | 3 |',
  '',
  '```ts',
  'const answer: number = 42;',
  '```',
  '',
  '<script>document.title = "pwned"</script> [click](javascript:alert(1))',
  '',
].join('\n');

describe('reports: CRUD, exports and the run hook', () => {
  let nyx: TestNyx;
  let team: TestTenant;
  let other: TestTenant;
  let projectId: string;
  before(async () => ({ nyx, team, other, projectId } = await teamWithProject('reports', 'Acme Portal')));

  it('creates a report titled "<project> — <type> — <date>", lists it by project and kind, gets and deletes it', async () => {
    const created = await call(nyx, team, 'POST', '/api/v1/reports', 201, { projectId, kind: 'autofix', markdown: MARKDOWN, metadata: { fixes: 2 } });
    assert.equal(created.title, `Acme Portal — Auto-fix — ${new Date().toISOString().slice(0, 10)}`);
    const listed = await call(nyx, team, 'GET', `/api/v1/reports?projectId=${projectId}&kind=autofix`, 200);
    assert.deepEqual(listed.items.map((r: { id: string }) => r.id), [created.id]);
    assert.equal(listed.items[0].markdown, undefined, 'lists carry no body');
    assert.equal((await call(nyx, team, 'GET', `/api/v1/reports?projectId=${projectId}&kind=analysis`, 200)).items.length, 0);
    assert.deepEqual((await call(nyx, team, 'GET', `/api/v1/reports/${created.id}`, 200)).metadata, { fixes: 2 });
    await call(nyx, team, 'DELETE', `/api/v1/reports/${created.id}`, 204);
    await call(nyx, team, 'GET', `/api/v1/reports/${created.id}`, 404);
  });

  it('answers 404 for another tenant\'s report and project, and 400 naming a bad kind', async () => {
    const created = await call(nyx, team, 'POST', '/api/v1/reports', 201, { projectId, kind: 'analysis', markdown: 'x' });
    await call(nyx, other, 'GET', `/api/v1/reports/${created.id}`, 404);
    await call(nyx, other, 'GET', `/api/v1/reports/${created.id}/export.md`, 404);
    await call(nyx, other, 'DELETE', `/api/v1/reports/${created.id}`, 404);
    await call(nyx, other, 'POST', '/api/v1/reports', 404, { projectId, kind: 'analysis', markdown: 'x' });
    const bad = await call(nyx, team, 'POST', '/api/v1/reports', 400, { projectId, kind: 'poem', markdown: 'x' });
    assert.equal(bad.field, 'kind');
    assert.equal((await call(nyx, team, 'GET', `/api/v1/reports/${created.id}`, 200)).id, created.id);
  });

  it('exports Markdown byte for byte, as an attachment named after the title', async () => {
    const created = await call(nyx, team, 'POST', '/api/v1/reports', 201, { projectId, kind: 'refactor', markdown: MARKDOWN });
    const exported = await fetchBytes(nyx, team, `/api/v1/reports/${created.id}/export.md`);
    assert.equal(exported.status, 200);
    assert.match(exported.type ?? '', /^text\/markdown/);
    assert.match(exported.disposition ?? '', /attachment; filename="Acme-Portal-Refactor-\d{4}-\d{2}-\d{2}\.md"/);
    assert.equal(exported.bytes.toString('utf8'), MARKDOWN);
  });

  it('exports a PDF with the title, a table, code, and a QR code that decodes to the report URL', async () => {
    const created = await call(nyx, team, 'POST', '/api/v1/reports', 201, { projectId, kind: 'analysis', markdown: MARKDOWN });
    const exported = await fetchBytes(nyx, team, `/api/v1/reports/${created.id}/export.pdf`);
    assert.equal(exported.status, 200, exported.bytes.toString('utf8').slice(0, 300));
    assert.equal(exported.type, 'application/pdf');
    assert.equal(exported.bytes.subarray(0, 4).toString('latin1'), '%PDF');
    const text = await pdfText(exported.bytes);
    const url = `${nyx.url}/api/v1/reports/${created.id}`;
    assert.ok(text.includes(created.title), `title missing from:\n${text}`);
    assert.ok(text.includes(url), 'the URL is printed as text');
    assert.match(text, /no-eval\s+3/, 'the table rendered');
    assert.ok(text.includes('const answer: number = 42;'));
    assert.ok(text.includes('<script>'), 'raw HTML is shown as text, never run');
    assert.equal(await decodeQrOnFirstPage(exported.bytes), url);
  });

  it('writes a report when a run returns reportMarkdown, once per run', async () => {
    // A kind of this test's own; it names its report kind, as kinds that are no report kind must.
    const kind = 'knowledge-test.talk';
    if (!nyx.runs.registry.has(kind)) {
      nyx.runs.registry.registerRunHandler(kind, async ({ run }) => ({ reportMarkdown: `# Talk ${String(run.input.nonce)}`, reportKind: 'discussion', reportMetadata: { turns: 4 } }));
    }
    const started = await call(nyx, team, 'POST', '/api/v1/runs', 201, { kind, projectId, input: { nonce: randomUUID() } });
    await runToEnd(nyx, team, started.id);
    const report = await waitFor('the run report', async () => (await call(nyx, team, 'GET', `/api/v1/reports?projectId=${projectId}&kind=discussion`, 200)).items.find((r: { runId: string }) => r.runId === started.id));
    assert.deepEqual(report.metadata, { runKind: kind, turns: 4 });
    assert.equal((await call(nyx, team, 'GET', `/api/v1/reports/${report.id}`, 200)).markdown, `# Talk ${started.input.nonce}`);
    const selftest = await startSelftest(nyx.url, team, projectId, { events: 1, seconds: 0 });
    await runToEnd(nyx, team, selftest.id);
    // The positive signal that the watcher got past the selftest: the report of a run that finished
    // after it (the watcher handles finished runs in the order it hears them).
    const later = await call(nyx, team, 'POST', '/api/v1/runs', 201, { kind, projectId, input: { nonce: randomUUID() } });
    await runToEnd(nyx, team, later.id);
    await waitFor('the report of the run that finished after the selftest', async () => (await call(nyx, team, 'GET', `/api/v1/reports?projectId=${projectId}&kind=discussion`, 200)).items.find((r: { runId: string }) => r.runId === later.id));
    const all = (await call(nyx, team, 'GET', `/api/v1/reports?projectId=${projectId}`, 200)).items;
    assert.equal(all.filter((r: { runId: string }) => r.runId === started.id).length, 1);
    assert.equal(all.filter((r: { runId: string }) => r.runId === selftest.id).length, 0, 'a run without reportMarkdown gets no report');
  });
});

describe('reports: PDF rendering parts', () => {
  it('keeps script, event handlers and unsafe URLs out of the HTML', () => {
    const { html } = markdownToSafeHtml('<img src=x onerror=alert(1)>\n\n<script>alert(1)</script>\n\n[a](javascript:alert(1)) ![i](http://evil.test/x.png) [ok](https://nyx.test)');
    assert.ok(!/<script|<img src=x|javascript:|http:\/\/evil/i.test(html), html);
    assert.ok(html.includes('href="https://nyx.test"'));
  });

  it('answers a missing Chromium with a 503 that names NYX_CHROMIUM_PATH', async () => {
    const renderer = new PdfRenderer('/nonexistent/chromium', createLogger('silent'));
    const page = await buildReportPage({ title: 't', projectName: 'p', kindLabel: 'Analysis', date: '2026-01-01', url: 'http://x.test/r', markdown: 'x' });
    await assert.rejects(renderer.render(page), (error: Error & { status?: number; code?: string }) => {
      assert.equal(error.status, 503);
      assert.equal(error.code, 'pdf_unavailable');
      assert.match(error.message, /NYX_CHROMIUM_PATH/);
      return true;
    });
    await renderer.close();
  });

  it('reuses one warm browser for later PDFs', async () => {
    const renderer = new PdfRenderer(null, createLogger('silent'));
    try {
      const page = await buildReportPage({ title: 'Warm', projectName: 'p', kindLabel: 'Analysis', date: '2026-01-01', url: 'http://x.test/r', markdown: '# hi' });
      for (let i = 0; i < 3; i++) assert.equal((await renderer.render(page)).subarray(0, 4).toString('latin1'), '%PDF');
      assert.equal(renderer.launches, 1);
    } finally {
      await renderer.close();
    }
  });
});
