#!/usr/bin/env node
// Rewrites import specifiers to the repo's layout (decision 0008): `../`-chains into the server and
// the protocol become the subpath imports `#server/...` and `#protocol/...` (package.json
// "imports"), and paths into folders that moved are pointed at their new home. Re-runnable and
// idempotent, so a branch started before the move can run it after merging main:
//
//   node scripts/rewrite-imports.js            # every .ts/.js under the source roots
//   node scripts/rewrite-imports.js FILE...    # only these files
//   node scripts/rewrite-imports.js --check    # list what would change, exit 1 if anything would
//
// Relative imports that stay inside their own folder (`./x.ts`, `./sub/y.ts`) are left alone;
// extension and webview code keeps relative imports within its own tree.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const SOURCE_ROOTS = ['server', 'protocol', 'extension', 'webviews', 'migrations', 'test', 'bench', 'scripts'];
const SKIP = new Set(['node_modules', 'dist', 'fixtures']);

/** Folders and files that moved (old → new, repo-relative). Longest prefix wins. */
const MOVES = [
  ['server/src/ai/', 'server/src/modules/ai/engine/'],
  ['server/src/runs/', 'server/src/modules/runs/engine/'],
  // Shared by the PDF export and the report viewer webview, which may import only protocol/.
  ['server/src/modules/reports/markdown-html.ts', 'protocol/markdown-html.ts'],
];
/** `AppServices` and friends left the composition root for a module features may depend on. */
const SERVICES_FROM_APP = new Set(['AppServices']);

const ALIASES = [
  ['server/src/', '#server/'],
  ['protocol/', '#protocol/'],
];

const posix = (path) => path.split(sep).join('/');

let applyMoves = true;

function moved(target) {
  if (!applyMoves) return target;
  for (const [from, to] of MOVES) if (target.startsWith(from)) return to + target.slice(from.length);
  return target;
}

/** Repo-relative path a specifier points at, or null when it is a package or a node builtin. */
function targetOf(specifier, fromDir) {
  if (specifier.startsWith('.')) return posix(relative(root, resolve(fromDir, specifier)));
  for (const [dir, alias] of ALIASES) if (specifier.startsWith(alias)) return dir + specifier.slice(alias.length);
  return null;
}

function rewriteSpecifier(specifier, file, importClause) {
  const fromDir = dirname(file);
  const original = targetOf(specifier, fromDir);
  if (original === null) return specifier;
  let target = moved(original);
  if (target === 'server/src/app.ts' && importClause && onlyServiceNames(importClause)) target = 'server/src/services.ts';
  const sourceRel = posix(relative(root, file));
  const unchanged = target === original;
  // Same folder or below, not moved: a short relative path reads best.
  if (specifier.startsWith('./') && unchanged) return specifier;
  const inUi = sourceRel.startsWith('extension/') || sourceRel.startsWith('webviews/');
  for (const [dir, alias] of ALIASES) {
    if (!target.startsWith(dir)) continue;
    if (inUi && dir !== 'protocol/') break;
    // protocol/ files import each other relatively: the folder is flat and self-contained.
    if (dir === 'protocol/' && sourceRel.startsWith('protocol/')) break;
    return alias + target.slice(dir.length);
  }
  if (unchanged && specifier.startsWith('.')) return specifier;
  let rel = posix(relative(fromDir, join(root, target)));
  if (!rel.startsWith('.')) rel = './' + rel;
  return rel;
}

function onlyServiceNames(clause) {
  const names = clause.replace(/^\s*type\s+/, '').replace(/[{}]/g, '').split(',').map((n) => n.trim().replace(/^type\s+/, '')).filter(Boolean);
  return names.length > 0 && names.every((name) => SERVICES_FROM_APP.has(name));
}

// `import x from '...'`, `import type {...} from '...'`, `export {...} from '...'`, `import '...'`, `import('...')`.
const STATIC = /(\b(?:import|export)\b(\s+(?:type\s+)?[^'";]*?\s+from\s*|\s*)['"])([^'"\n]+)(['"])/g;
const DYNAMIC = /(\bimport\(\s*['"])([^'"\n]+)(['"]\s*\))/g;

export function rewriteSource(text, file) {
  let out = text.replace(STATIC, (match, head, clause, specifier, tail) => {
    const importClause = clause.replace(/\s+from\s*$/, '').replace(/^\s+/, '');
    return head + rewriteSpecifier(specifier, file, importClause) + tail;
  });
  out = out.replace(DYNAMIC, (match, head, specifier, tail) => head + rewriteSpecifier(specifier, file, null) + tail);
  return out;
}

function* walk(dir) {
  for (const entry of readdirSync(dir)) {
    if (SKIP.has(entry)) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) yield* walk(path);
    else if (/\.(ts|js|mjs|cjs)$/.test(entry) && !entry.endsWith('.d.ts')) yield path;
  }
}

function main(args) {
  const check = args.includes('--check');
  // Only the alias rewrite (used once, before the folders moved, so moved files keep `./` imports).
  applyMoves = !args.includes('--no-moves');
  const given = args.filter((arg) => !arg.startsWith('--')).map((arg) => resolve(arg));
  const files = given.length ? given : SOURCE_ROOTS.filter((dir) => existsSync(join(root, dir))).flatMap((dir) => [...walk(join(root, dir))]);
  let changed = 0;
  for (const file of files) {
    if (file === resolve(import.meta.filename)) continue;
    const text = readFileSync(file, 'utf8');
    const next = rewriteSource(text, file);
    if (next === text) continue;
    changed++;
    if (check) console.log(posix(relative(root, file)));
    else writeFileSync(file, next);
  }
  console.log(`${check ? 'would rewrite' : 'rewrote'} ${changed} file(s)`);
  if (check && changed) process.exitCode = 1;
}

if (resolve(process.argv[1] ?? '') === resolve(import.meta.filename)) main(process.argv.slice(2));
