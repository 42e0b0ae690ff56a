import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES_ROOT = fileURLToPath(new URL('../../fixtures/analysis/', import.meta.url));
export const FIXTURE_LANGUAGES = ['js', 'ts', 'python', 'go', 'java'] as const;

export interface ExpectedFinding {
  ruleId: string;
  path: string;
  startLine: number;
}

export interface FixtureFile {
  path: string;
  content: Uint8Array;
}

/** Every file of a fixture repository except its expected.json, with repo-relative posix paths. */
export function fixtureFiles(language: string): FixtureFile[] {
  const root = join(FIXTURES_ROOT, language);
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name !== 'expected.json')
    .map((entry) => {
      const absolute = join(entry.parentPath, entry.name);
      return { path: relative(root, absolute).split(sep).join('/'), content: readFileSync(absolute) };
    })
    .sort((a, b) => a.path.localeCompare(b.path));
}

export function expectedFindings(language: string): ExpectedFinding[] {
  return (JSON.parse(readFileSync(join(FIXTURES_ROOT, language, 'expected.json'), 'utf8')) as { findings: ExpectedFinding[] }).findings;
}

export const findingKey = (f: ExpectedFinding) => `${f.path}:${f.startLine} ${f.ruleId}`;
