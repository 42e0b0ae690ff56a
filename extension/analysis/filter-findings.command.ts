import * as vscode from 'vscode';
import type { Severity } from '#protocol/findings.ts';
import { registerCommand } from '../command.ts';
import type { FindingsStore } from './findings-store.ts';
import type { FindingsFilter, FindingsTree } from './findings-tree.ts';

type Step = vscode.QuickPickItem & { step: 'severity' | 'rule' | 'file' | 'status' | 'search' | 'clear' };

/**
 * The Findings view's filters: "Nyx: Filter Findings…" (severity, rule, file, status; takes a
 * `FindingsFilter` and then asks nothing), "Nyx: Search Findings…" (words in the message, rule,
 * path, CWE, OWASP), "Nyx: Show Dismissed Findings" (the Dismissed group, on and off) and
 * "Nyx: Clear Findings Filter". The active filter is the view's description.
 */
export function registerFilterFindingsCommands(tree: FindingsTree, store: FindingsStore, log: vscode.LogOutputChannel): vscode.Disposable {
  return vscode.Disposable.from(
    registerCommand('nyx.filterFindings', log, async (given?: FindingsFilter): Promise<FindingsFilter | undefined> => {
      if (given) {
        tree.setFilter(given);
        return given;
      }
      const next = await askFilter(tree.filter, store);
      if (next) tree.setFilter(next);
      return next;
    }),
    registerCommand('nyx.searchFindings', log, async (given?: string): Promise<FindingsFilter | undefined> => {
      const text = given ?? (await vscode.window.showInputBox({ title: 'Nyx: Search Findings', prompt: 'Words in the message, rule, path, CWE or OWASP category (empty: no search)', value: tree.filter.text ?? '' }));
      if (text === undefined) return undefined;
      const next = { ...tree.filter, text: text.trim() || undefined };
      tree.setFilter(next);
      return next;
    }),
    registerCommand('nyx.showDismissedFindings', log, (): FindingsFilter => {
      const next: FindingsFilter = { ...tree.filter, status: (tree.filter.status ?? 'open') === 'open' ? 'all' : 'open' };
      tree.setFilter(next);
      return next;
    }),
    registerCommand('nyx.clearFindingsFilter', log, (): FindingsFilter => {
      tree.setFilter({});
      return {};
    }),
  );
}

async function askFilter(current: FindingsFilter, store: FindingsStore): Promise<FindingsFilter | undefined> {
  const steps: Step[] = [
    { label: '$(filter) Severity…', description: current.severities?.join(', ') ?? 'any', step: 'severity' },
    { label: '$(law) Rule…', description: current.ruleId ?? 'any', step: 'rule' },
    { label: '$(file) File…', description: current.file ?? 'any', step: 'file' },
    { label: '$(eye-closed) Status…', description: current.status ?? 'open', step: 'status' },
    { label: '$(search) Search…', description: current.text ?? '', step: 'search' },
    { label: '$(clear-all) Clear all filters', step: 'clear' },
  ];
  const picked = await vscode.window.showQuickPick(steps, { title: 'Nyx: Filter Findings' });
  if (!picked) return undefined;
  const all = store.watched().flatMap(({ project }) => [...store.findingsOf(project.id), ...store.dismissedOf(project.id)]);
  switch (picked.step) {
    case 'clear':
      return {};
    case 'severity': {
      const severities: Severity[] = ['error', 'warning', 'info'];
      const chosen = await vscode.window.showQuickPick(
        severities.map((severity) => ({ label: severity, picked: current.severities?.includes(severity) ?? false })),
        { title: 'Nyx: findings of these severities (none: any)', canPickMany: true },
      );
      return chosen ? { ...current, severities: chosen.length ? chosen.map((item) => item.label as Severity) : undefined } : undefined;
    }
    case 'rule': {
      const counts = countBy(all.map((finding) => finding.ruleId));
      const chosen = await vscode.window.showQuickPick([{ label: 'Any rule', ruleId: undefined }, ...[...counts].map(([ruleId, count]) => ({ label: ruleId, description: String(count), ruleId }))], { title: 'Nyx: findings of this rule' });
      return chosen ? { ...current, ruleId: chosen.ruleId } : undefined;
    }
    case 'file': {
      const counts = countBy(all.map((finding) => finding.path));
      const chosen = await vscode.window.showQuickPick([{ label: 'Any file', path: undefined }, ...[...counts].map(([path, count]) => ({ label: path, description: String(count), path }))], { title: 'Nyx: findings in this file' });
      return chosen ? { ...current, file: chosen.path } : undefined;
    }
    case 'status': {
      const chosen = await vscode.window.showQuickPick(
        [
          { label: 'Open', status: 'open' as const },
          { label: 'Dismissed', description: "false positive, won't fix, accepted", status: 'dismissed' as const },
          { label: 'Open and dismissed', status: 'all' as const },
        ],
        { title: 'Nyx: findings with this status' },
      );
      return chosen ? { ...current, status: chosen.status } : undefined;
    }
    case 'search': {
      const text = await vscode.window.showInputBox({ title: 'Nyx: Search Findings', value: current.text ?? '' });
      return text === undefined ? undefined : { ...current, text: text.trim() || undefined };
    }
  }
}

function countBy(keys: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const key of keys.sort()) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}
