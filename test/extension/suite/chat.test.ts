// @nyx and the Nyx language model tools in a real VS Code against the live server: the tools
// through vscode.lm.invokeTool (as an agent mode calls them), the participant's handler with a
// recorder shaped like vscode.ChatResponseStream (/explain at the cursor, /memory, and /discuss
// streamed from a discussion run written by the loopback OpenAI fake).
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { StoredFinding } from '#protocol/analysis.ts';
import type { DiscussionSynthesis } from '#protocol/discussions.ts';
import type { MemoryEntry } from '#protocol/memory.ts';
import type { Persona } from '#protocol/personas.ts';
import type { Project } from '#protocol/projects.ts';
import type { Run } from '#protocol/runs.ts';
import type { ChatOutput } from '../../../extension/chat/chat-discussion.ts';
import { startFakeOpenAI } from '../../fakes/openai-server.ts';
import type { FakeOpenAI } from '../../fakes/openai-server.ts';
import { callServer, ensureConnected, uniqueName, waitFor } from './helpers.ts';

const EVAL_RULE = 'nyx/dangerous/dynamic-eval';

/** Records what a chat answer writes, in order, as the Chat view would receive it. */
class RecordingStream implements ChatOutput {
  readonly parts: Array<{ kind: 'markdown' | 'progress'; text: string } | { kind: 'button'; command: vscode.Command }> = [];

  markdown(value: string | vscode.MarkdownString): void {
    this.parts.push({ kind: 'markdown', text: typeof value === 'string' ? value : value.value });
  }

  progress(value: string): void {
    this.parts.push({ kind: 'progress', text: value });
  }

  button(command: vscode.Command): void {
    this.parts.push({ kind: 'button', command });
  }

  get text(): string {
    return this.parts.flatMap((part) => (part.kind === 'markdown' ? [part.text] : [])).join('');
  }

  get buttons(): vscode.Command[] {
    return this.parts.flatMap((part) => (part.kind === 'button' ? [part.command] : []));
  }
}

function toolText(result: vscode.LanguageModelToolResult): string {
  return result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join('');
}

function invoke(name: string, input: object): Thenable<vscode.LanguageModelToolResult> {
  return vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined });
}

const never = new vscode.CancellationTokenSource().token;

describe('@nyx chat participant and language model tools', function () {
  this.timeout(90_000);
  let project: Project;
  let evalFinding: StoredFinding;

  before(async () => {
    const api = await ensureConnected();
    project = await callServer<Project>('POST', '/api/v1/projects', { name: uniqueName('Chat') });
    await api.selection.select(project, vscode.workspace.workspaceFolders![0]!);
    const analyzed = await vscode.commands.executeCommand<{ done?: { status: string } }>('nyx.analyzeWorkspace');
    assert.equal(analyzed?.done?.status, 'succeeded');
    evalFinding = await waitFor('the eval finding of src/server.js', () => api.analysis.findings.findingsOf(project.id).find((finding) => finding.path === 'src/server.js' && finding.ruleId === EVAL_RULE));
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('registers @nyx with the Chat API and its tools in vscode.lm.tools', async () => {
    const api = await ensureConnected();
    assert.equal(api.chat.participant?.id, 'nyx.chat', 'code-server 1.139 has the Chat API: the participant exists');
    const names = vscode.lm.tools.map((tool) => tool.name);
    for (const name of ['nyx_findings', 'nyx_explain_finding', 'nyx_search_memory']) assert.ok(names.includes(name), `${name} not in ${names.join(', ')}`);
    const memoryTool = vscode.lm.tools.find((tool) => tool.name === 'nyx_search_memory')!;
    assert.deepEqual((memoryTool.inputSchema as { required?: string[] }).required, ['query']);
  });

  it('nyx_findings lists the open findings with their ids, filtered by file and severity', async () => {
    const inServer = toolText(await invoke('nyx_findings', { path: 'server.js' }));
    assert.match(inServer, new RegExp(`\`${EVAL_RULE}\` at \`src/server\\.js:${evalFinding.range.startLine}\``));
    assert.ok(inServer.includes(evalFinding.id), 'the id a follow-up can name');
    assert.ok(!inServer.includes('fetch.py'), 'only src/server.js');
    const infos = toolText(await invoke('nyx_findings', { path: 'server.js', severity: 'info', ruleId: EVAL_RULE }));
    assert.equal(infos, 'No open Nyx findings match.');
  });

  it('nyx_explain_finding explains a finding named by id, and fails clearly for one that does not exist', async () => {
    const explained = toolText(await invoke('nyx_explain_finding', { finding: evalFinding.id }));
    assert.ok(explained.includes(`\`${EVAL_RULE}\``), explained);
    assert.ok(explained.includes('## Why it matters'), explained);
    assert.ok(explained.includes(`src/server.js:${evalFinding.range.startLine}`), explained);
    await assert.rejects(Promise.resolve(invoke('nyx_explain_finding', { finding: 'nyx/no/such-rule' })), /No open Nyx finding matches "nyx\/no\/such-rule"/);
  });

  it('nyx_search_memory finds what the team remembered; a query is required', async () => {
    const word = `quokkaqueue${Date.now().toString(36)}`;
    const entry = await callServer<MemoryEntry>('POST', `/api/v1/projects/${project.id}/memory`, { kind: 'convention', text: `Background jobs go through the ${word} broker.` });
    const found = toolText(await invoke('nyx_search_memory', { query: `${word} broker` }));
    assert.ok(found.includes(entry.id), found);
    assert.match(found, /\(memory, (best match|strong|good|weak), (same meaning and words|similar meaning|same words)\)/);
    assert.ok(!/score \d/.test(found), 'no raw scores');
    await assert.rejects(Promise.resolve(invoke('nyx_search_memory', {})));
  });

  it('@nyx /explain with no argument explains the finding at the cursor and offers the fix', async () => {
    const api = await ensureConnected();
    const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, 'src/server.js'));
    const editor = await vscode.window.showTextDocument(document);
    const line = evalFinding.range.startLine - 1;
    editor.selection = new vscode.Selection(line, 2, line, 2);
    const stream = new RecordingStream();
    const result = await api.chat.handle({ command: 'explain', prompt: '' }, stream, never);
    assert.equal(result.metadata?.findingId, evalFinding.id);
    assert.ok(stream.text.includes('## Why it matters'), stream.text);
    assert.deepEqual(stream.buttons.map((button) => [button.command, button.arguments]), [['nyx.askPersonaToFix', [evalFinding.id]]]);

    const unknown = new RecordingStream();
    await api.chat.handle({ command: 'explain', prompt: 'nothing-like-this' }, unknown, never);
    assert.match(unknown.text, /No open finding matches "nothing-like-this"\. Name one of these/);
    assert.ok(unknown.text.includes(evalFinding.id), 'the list names the findings it could mean');
  });

  it('@nyx /memory answers in the chat; without a command it says what it can do', async () => {
    const api = await ensureConnected();
    const word = `wombatcache${Date.now().toString(36)}`;
    const entry = await callServer<MemoryEntry>('POST', `/api/v1/projects/${project.id}/memory`, { kind: 'decision', text: `We decided on ${word} for sessions.` });
    const stream = new RecordingStream();
    await api.chat.handle({ command: 'memory', prompt: `${word} sessions` }, stream, never);
    assert.ok(stream.parts[0]?.kind === 'progress', 'progress first');
    assert.ok(stream.text.includes(entry.id), stream.text);
    const help = new RecordingStream();
    await api.chat.handle({ command: undefined, prompt: 'hello' }, help, never);
    assert.match(help.text, /`\/explain`[\s\S]*`\/discuss`[\s\S]*`\/memory`/);
  });

  describe('/discuss', () => {
    let fake: FakeOpenAI;
    const synthesis: DiscussionSynthesis = { bestApproach: 'Keep sessions in Redis with a short TTL.', consensusPoints: ['Sessions must expire'], dissentPoints: [], nextSteps: ['Set the TTL'] };
    const turns = ['Store sessions server-side; signed cookies leak too much. '.repeat(3).trim(), 'Redis is fine if the TTL stays short and we measure the hit rate. '.repeat(3).trim()];

    before(async () => {
      fake = await startFakeOpenAI();
      await callServer('PUT', '/api/v1/providers/openai', { apiKey: 'sk-test-chat-suite', baseUrl: fake.url });
    });

    after(async () => {
      await callServer('DELETE', '/api/v1/providers/openai').catch(() => undefined);
      await fake?.close();
    });

    it('streams each turn of the discussion run into the chat as it is written, then the synthesis and a button to the panel', async () => {
      const api = await ensureConnected();
      fake.plan(...turns.map((text) => ({ text, chunkDelayMs: 40 })));
      fake.setDefault({ json: synthesis });
      const stream = new RecordingStream();
      const result = await api.chat.handle({ command: 'discuss', prompt: '+security-auditor +performance-engineer Where should sessions live?' }, stream, never);
      const runId = String(result.metadata?.runId);
      assert.equal(result.metadata?.status, 'succeeded', stream.text);
      const run = await callServer<Run>('GET', `/api/v1/runs/${runId}`);
      assert.equal(run.kind, 'discussion');
      assert.equal((run.input as { topic: string }).topic, 'Where should sessions live?');

      const library = (await callServer<{ items: Persona[] }>('GET', '/api/v1/personas?builtIn=true')).items;
      const nameOf = (key: string) => library.find((persona) => persona.builtInKey === key)!.name;
      const text = stream.text;
      const first = text.indexOf(`**${nameOf('security-auditor')}** · round 1`);
      const second = text.indexOf(`**${nameOf('performance-engineer')}** · round 1`);
      assert.ok(first >= 0 && second > first, text);
      assert.ok(text.slice(first, second).includes(turns[0]!), 'the first turn in full, once');
      assert.ok(text.slice(second).includes(turns[1]!), 'the second turn in full, once');
      assert.equal(text.split(turns[0]!).length, 2, 'no turn written twice');
      const deltas = stream.parts.filter((part) => part.kind === 'markdown' && turns[0]!.includes(part.text) && part.text.length < turns[0]!.length);
      assert.ok(deltas.length >= 2, `the first turn arrived in pieces (${deltas.length})`);
      assert.ok(text.indexOf('### Synthesis') > second && text.includes(synthesis.bestApproach));
      assert.deepEqual(stream.buttons.at(-1), { command: 'nyx.openRun', title: 'Open the discussion', arguments: [runId] });

      // The button opens the discussion panel (a run opens in the panel of its kind).
      await vscode.commands.executeCommand('nyx.openRun', runId);
      const panel = await waitFor('the discussion panel', () => api.team.discussions.get(runId));
      await waitFor('the replayed transcript', () => panel.transcript?.synthesis?.bestApproach === synthesis.bestApproach);
    });

    it('names an unknown persona and starts nothing', async () => {
      const api = await ensureConnected();
      const stream = new RecordingStream();
      const result = await api.chat.handle({ command: 'discuss', prompt: '+nobody-at-all +security-auditor What now?' }, stream, never);
      assert.match(stream.text, /No persona "nobody-at-all"\. Known: .*security-auditor/);
      assert.ok(result.errorDetails);
      assert.equal(result.metadata?.runId, undefined);
    });
  });
});
