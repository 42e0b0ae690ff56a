import * as vscode from 'vscode';

/** The `nyx.analysis.*` settings (package.json `contributes.configuration`), read per folder on use. */
export interface AnalysisConfig {
  /** Files larger than this many bytes stay out of snapshots (the server's own limit applies too). */
  maxFileBytes: number;
  /** Also ask for the AI review (runs only when the server has a provider configured). */
  aiReview: boolean;
  /** The persona "Ask … to fix" starts an auto-fix run with: a built-in key or a persona id. */
  fixPersona: string;
  /** Analyze minified and vendored files too (the server skips them by default). */
  includeMinified: boolean;
  /** When changed files are analyzed by themselves: on save (default), as you type, or never. */
  liveMode: LiveMode;
}

export type LiveMode = 'onSave' | 'onType' | 'off';
const LIVE_MODES: readonly LiveMode[] = ['onSave', 'onType', 'off'];

export const DEFAULT_FIX_PERSONA = 'security-auditor';

export function readAnalysisConfig(folder?: vscode.WorkspaceFolder): AnalysisConfig {
  const section = vscode.workspace.getConfiguration('nyx.analysis', folder);
  const maxFileSizeKb = section.get<number>('maxFileSizeKb') ?? 1024;
  return {
    maxFileBytes: Math.max(1, Math.floor(maxFileSizeKb * 1024)),
    aiReview: section.get<boolean>('aiReview') ?? false,
    fixPersona: section.get<string>('fixPersona')?.trim() || DEFAULT_FIX_PERSONA,
    includeMinified: section.get<boolean>('includeMinified') ?? false,
    liveMode: LIVE_MODES.find((mode) => mode === section.get<string>('liveMode')) ?? 'onSave',
  };
}
