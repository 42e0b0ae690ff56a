import type * as vscode from 'vscode';

export interface DigestPeriod {
  periodStart: string;
  periodEnd: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The periods "Generate Digest..." offers, each ending now (except last month, the calendar one). */
export function digestPeriodChoices(now = new Date()): Array<vscode.QuickPickItem & { period: DigestPeriod }> {
  const end = now.toISOString();
  const daysBack = (days: number): DigestPeriod => ({ periodStart: new Date(now.getTime() - days * DAY_MS).toISOString(), periodEnd: end });
  const monday = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - ((now.getUTCDay() + 6) % 7)));
  const thisMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  const choices: Array<vscode.QuickPickItem & { period: DigestPeriod }> = [
    { label: 'Last 7 days', period: daysBack(7) },
    { label: 'Last 14 days', period: daysBack(14) },
    { label: 'Last 30 days', period: daysBack(30) },
    { label: 'This week', description: 'since Monday (UTC)', period: { periodStart: monday.toISOString(), periodEnd: end } },
    { label: 'Last month', description: lastMonth.toLocaleDateString(undefined, { month: 'long', year: 'numeric', timeZone: 'UTC' }), period: { periodStart: lastMonth.toISOString(), periodEnd: thisMonth.toISOString() } },
  ];
  // "This week" on a Monday just after midnight would be an empty period: the server refuses start >= end.
  return choices.filter((choice) => Date.parse(choice.period.periodStart) < Date.parse(choice.period.periodEnd));
}
