/**
 * Regenerates test/fixtures/accuracy/ (every language folder, expected.csv and the README's
 * coverage table) from the models in this folder. Deterministic: the same models give the same
 * files. Run: node scripts/accuracy-corpus/generate.ts
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { goModels } from './go.ts';
import { javaModels } from './java.ts';
import { javascriptModels, typescriptModels } from './javascript.ts';
import { fixedCases, flowCases, type CorpusFile, type LanguageModels } from './model.ts';
import { pythonModels } from './python.ts';

const ROOT = fileURLToPath(new URL('../../test/fixtures/accuracy/', import.meta.url));

function casesOf(models: LanguageModels): CorpusFile[] {
  const out: CorpusFile[] = [];
  for (const sink of models.sinks) out.push(...flowCases(models, sink));
  for (const group of models.fixed) out.push(...fixedCases(models, group));
  return out;
}

const languages = [javascriptModels(), typescriptModels(), pythonModels(), javaModels(), goModels()];
const files = languages.flatMap(casesOf);
const seen = new Set<string>();
for (const file of files) {
  if (seen.has(file.file)) throw new Error(`duplicate case ${file.file}`);
  seen.add(file.file);
}

for (const models of languages) rmSync(join(ROOT, models.language), { recursive: true, force: true });
for (const file of files) {
  mkdirSync(dirname(join(ROOT, file.file)), { recursive: true });
  writeFileSync(join(ROOT, file.file), file.text);
}
const csv = ['file,cwe,vulnerable', ...files.map((f) => `${f.file},${f.cwe},${f.vulnerable}`)].join('\n') + '\n';
writeFileSync(join(ROOT, 'expected.csv'), csv);

// Coverage table between the README's markers: vulnerable/safe counts per CWE and language.
const cwes = [...new Set(files.map((f) => f.cwe))].sort((a, b) => Number(a.slice(4)) - Number(b.slice(4)));
const names = languages.map((m) => m.language);
const cell = (cwe: string, language: string) => {
  const of = files.filter((f) => f.cwe === cwe && f.file.startsWith(`${language}/`));
  return of.length ? `${of.filter((f) => f.vulnerable).length}/${of.filter((f) => !f.vulnerable).length}` : '—';
};
const table = [
  `| CWE | ${names.join(' | ')} | total |`,
  `|---|${names.map(() => '---').join('|')}|---|`,
  ...cwes.map((cwe) => `| ${cwe} | ${names.map((l) => cell(cwe, l)).join(' | ')} | ${files.filter((f) => f.cwe === cwe).length} |`),
  `| all | ${names.map((l) => files.filter((f) => f.file.startsWith(`${l}/`)).length).join(' | ')} | ${files.length} |`,
].join('\n');
const kinds = new Map<string, number>();
for (const f of files) if (f.twinKind) kinds.set(f.twinKind, (kinds.get(f.twinKind) ?? 0) + 1);
const KIND_NAMES: Record<string, string> = { sanitize: 'sanitized', constant: 'constant', dead: 'dead branch', otherKey: 'other key/index/field', numeric: 'numeric', fixed: 'hand-written pairs (safe API, sanitizer in a helper, ...)' };
const twinLine = `Safe twins by kind: ${[...kinds].map(([kind, n]) => `${KIND_NAMES[kind] ?? kind} ${n}`).join(', ')}.`;
const readmePath = join(ROOT, 'README.md');
const readme = readFileSync(readmePath, 'utf8');
const start = '<!-- coverage:start -->';
const end = '<!-- coverage:end -->';
writeFileSync(readmePath, readme.slice(0, readme.indexOf(start) + start.length) + '\n' + table + '\n\n' + twinLine + '\n' + readme.slice(readme.indexOf(end)));
console.log(`${files.length} cases (${files.filter((f) => f.vulnerable).length} vulnerable) in ${ROOT}`);
