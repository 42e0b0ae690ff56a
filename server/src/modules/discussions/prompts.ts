import type { ChatMessage } from '#server/modules/ai/engine/types.ts';
import type { ContextFile, DiscussionInput, DiscussionMode } from '#protocol/discussions.ts';
import type { IPersona } from '#server/modules/personas/persona.entity.ts';

export interface TranscriptTurn {
  round: number;
  personaName: string;
  role: string;
  text: string;
}

export interface ContextFinding {
  path: string;
  line: number;
  ruleId: string;
  severity: string;
  message: string;
}

/** The transcript a turn sees is capped; the newest turns are the ones kept. */
const MAX_TRANSCRIPT_CHARS = 60_000;
const MAX_CONTEXT_CHARS = 120_000;

export function renderFiles(files: readonly ContextFile[]): string {
  return files.map((file) => `File ${file.path}:\n\`\`\`${file.language ?? ''}\n${file.content}\n\`\`\``).join('\n\n');
}

/** Files, selection and findings as one block of the prompt (the same for every turn). */
export function renderDiscussionContext(context: DiscussionInput['context'], findings: readonly ContextFinding[]): string {
  const parts: string[] = [];
  if (context.selection) {
    const s = context.selection;
    parts.push(`Selected code (${s.path}, lines ${s.startLine}-${s.endLine}):\n\`\`\`\n${s.text}\n\`\`\``);
  }
  if (findings.length) parts.push(`Findings:\n${findings.map((f) => `- [${f.severity}] ${f.path}:${f.line} ${f.ruleId}: ${f.message}`).join('\n')}`);
  if (context.files.length) parts.push(renderFiles(context.files));
  return parts.join('\n\n').slice(0, MAX_CONTEXT_CHARS);
}

export function renderTranscript(turns: readonly TranscriptTurn[]): string {
  const lines: string[] = [];
  let size = 0;
  for (const turn of [...turns].reverse()) {
    const line = `[Round ${turn.round}] ${turn.personaName} (${turn.role}):\n${turn.text}`;
    if (size + line.length > MAX_TRANSCRIPT_CHARS) break;
    lines.unshift(line);
    size += line.length;
  }
  return lines.join('\n\n');
}

const MODE_INSTRUCTIONS: Record<DiscussionMode, (round: number, rounds: number) => string> = {
  debate: () =>
    'Respond to the points made so far: challenge what you disagree with and say why, support what you agree with, and add what only your expertise sees.',
  parallel: (round) =>
    round === 1
      ? 'Give your own independent opinion; the others answer at the same time without seeing yours.'
      : 'You have read everyone\'s opinions from the earlier rounds: refine your opinion, saying what changed your mind and what did not.',
  consensus: (round, rounds) =>
    round === rounds
      ? 'This is the final round: state the joint approach you can agree to, and any remaining objection in one sentence.'
      : 'Work towards one approach the whole group can accept: say which proposal you back, what you would change, and what you can live with.',
};

export function turnSystemPrompt(persona: IPersona, others: readonly IPersona[], mode: DiscussionMode): string {
  const traits = persona.traits.length ? ` Traits: ${persona.traits.join(', ')}.` : '';
  return [
    persona.systemPrompt,
    `You are ${persona.name}, ${persona.role} (${persona.level} level).${traits}`,
    `You take part in a ${mode} discussion with ${others.map((o) => `${o.name} (${o.role})`).join(', ')}.`,
    'Speak only for yourself, in at most about 250 words; do not write lines for the other participants.',
  ]
    .filter(Boolean)
    .join('\n\n');
}

export function turnMessages(input: DiscussionInput, contextBlock: string, transcript: readonly TranscriptTurn[], round: number): ChatMessage[] {
  const parts = [`Topic: ${input.topic}`];
  if (contextBlock) parts.push(`Context:\n${contextBlock}`);
  parts.push(transcript.length ? `Discussion so far:\n${renderTranscript(transcript)}` : 'Nobody has spoken yet.');
  parts.push(`Round ${round} of ${input.rounds}. Your turn. ${MODE_INSTRUCTIONS[input.mode](round, input.rounds)}`);
  return [{ role: 'user', content: parts.join('\n\n') }];
}

export const SYNTHESIS_SYSTEM =
  'You are the moderator of a discussion between experts. Summarise it faithfully: the best approach the discussion supports ' +
  '(concrete enough to implement), the points everyone agreed on, and the points of dissent with who held them. Do not invent positions.';

export function synthesisMessages(input: DiscussionInput, contextBlock: string, transcript: readonly TranscriptTurn[]): ChatMessage[] {
  const parts = [`Topic: ${input.topic}`];
  if (contextBlock) parts.push(`Context:\n${contextBlock.slice(0, 20_000)}`);
  parts.push(`Transcript:\n${renderTranscript(transcript)}`);
  return [{ role: 'user', content: parts.join('\n\n') }];
}
