// The starter set: policies written by us in our own words (starter/*.md), which a team installs
// with POST /api/v1/policies/starter and then edits like any upload. Installing again adds a new
// version only where a starter file changed since, and never on top of a version the team
// uploaded itself (that document is left as it is: `created: false`).
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { TenantScope } from '#server/db/tenant-context.ts';
import type { Orm } from '#server/db/orm.ts';
import type { StarterInstallResult } from '#protocol/policies.ts';
import type { EmbeddingServices } from '#server/modules/memory/background-embedding.ts';
import { uploadPolicy } from './library.ts';

export const STARTER_DIR = join(import.meta.dirname, 'starter');

/** The starter files, in name order: key (file name without .md) and Markdown. */
export async function starterFiles(dir = STARTER_DIR): Promise<{ key: string; markdown: string }[]> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.md')).sort();
  return Promise.all(names.map(async (name) => ({ key: basename(name, '.md'), markdown: await readFile(join(dir, name), 'utf8') })));
}

export async function installStarterSet(services: EmbeddingServices & { orm: Orm }, scope: TenantScope): Promise<StarterInstallResult> {
  const items: StarterInstallResult['items'] = [];
  for (const file of await starterFiles()) {
    const stored = await uploadPolicy(services, scope, { key: file.key, format: 'markdown', content: file.markdown }, { starter: true });
    items.push({ key: stored.document.key, title: stored.document.title, documentId: stored.document.id, version: stored.version.version, created: stored.created });
  }
  return { items };
}
