// A loopback server speaking the GitHub REST endpoints a sync uses, with GitHub's JSON shapes,
// ids and error bodies: GET /repos/{owner}/{repo}, /branches/{branch}, /git/trees/{sha}?recursive=1
// and /git/blobs/{sha} (base64, wrapped at 60 columns like GitHub). Blob ids are real git blob
// shas (sha1 of "blob <size>\0" + bytes), so a client can verify what it downloaded. Usage:
//   const gh = await startFakeGithub({ token: 't' }); gh.setRepo('o', 'r', { 'src/a.js': '...' });
//   new Octokit({ baseUrl: gh.url, auth: 't' }); ... gh.requests; await gh.close();
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startLoopbackServer } from './loopback-server.ts';

export type RepoFiles = Record<string, string | Uint8Array>;

export interface FakeGithub {
  url: string;
  /** Every request as "METHOD /path" (query left out), in order. */
  requests: string[];
  /** Creates or replaces a repository's branch content (a new commit). */
  setRepo(owner: string, repo: string, files: RepoFiles, options?: { branch?: string; defaultBranch?: string }): void;
  /** How many blob downloads were served. */
  blobDownloads(): number;
  close(): Promise<void>;
}

interface Branch {
  commitSha: string;
  treeSha: string;
}

interface Repo {
  defaultBranch: string;
  branches: Map<string, Branch>;
}

const sha1 = (...parts: (string | Uint8Array)[]) => {
  const hash = createHash('sha1');
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
};
export const gitBlobShaOf = (content: Uint8Array) => sha1(`blob ${content.length}\0`, content);

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-github-media-type': 'github.v3; format=json', 'x-ratelimit-remaining': '4999' });
  res.end(JSON.stringify(body));
}

const notFound = (res: ServerResponse) => send(res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' });

export async function startFakeGithub(options: { token: string }): Promise<FakeGithub> {
  const repos = new Map<string, Repo>();
  const blobs = new Map<string, Buffer>();
  /** tree sha -> entries of the whole (recursive) tree. */
  const trees = new Map<string, { path: string; mode: string; type: 'blob' | 'tree'; sha: string; size?: number }[]>();
  const requests: string[] = [];
  let downloads = 0;

  const authorized = (req: IncomingMessage) => {
    const header = req.headers.authorization ?? '';
    return header === `token ${options.token}` || header === `Bearer ${options.token}`;
  };

  const server = await startLoopbackServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    requests.push(`${req.method} ${url.pathname}`);
    if (!authorized(req)) return send(res, 401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' });
    const parts = url.pathname.split('/').slice(1).map(decodeURIComponent);
    if (req.method !== 'GET' || parts[0] !== 'repos' || parts.length < 3) return notFound(res);
    const [, owner, name, section, ...rest] = parts;
    const repo = repos.get(`${owner}/${name}`);
    if (!repo) return notFound(res);
    if (section === undefined) {
      return send(res, 200, { id: 1, name, full_name: `${owner}/${name}`, private: false, default_branch: repo.defaultBranch, owner: { login: owner } });
    }
    if (section === 'branches') {
      const branch = repo.branches.get(rest.join('/'));
      if (!branch) return send(res, 404, { message: 'Branch not found', documentation_url: 'https://docs.github.com/rest', status: '404' });
      return send(res, 200, { name: rest.join('/'), commit: { sha: branch.commitSha, commit: { tree: { sha: branch.treeSha } } }, protected: false });
    }
    if (section === 'git' && rest[0] === 'trees') {
      const entries = trees.get(rest[1] ?? '');
      if (!entries) return notFound(res);
      return send(res, 200, { sha: rest[1], url: `${url.origin}${url.pathname}`, tree: entries, truncated: false });
    }
    if (section === 'git' && rest[0] === 'blobs') {
      const content = blobs.get(rest[1] ?? '');
      if (!content) return notFound(res);
      downloads++;
      const base64 = content.toString('base64').replace(/.{60}/g, '$&\n');
      return send(res, 200, { sha: rest[1], node_id: 'B_fake', size: content.length, url: `${url.origin}${url.pathname}`, content: base64, encoding: 'base64' });
    }
    return notFound(res);
  });

  return {
    url: server.origin,
    requests,
    blobDownloads: () => downloads,
    setRepo(owner, name, files, { branch = 'main', defaultBranch = 'main' } = {}) {
      const entries: { path: string; mode: string; type: 'blob' | 'tree'; sha: string; size?: number }[] = [];
      const folders = new Set<string>();
      for (const [path, content] of Object.entries(files).sort(([a], [b]) => a.localeCompare(b))) {
        const bytes = Buffer.from(content);
        const sha = gitBlobShaOf(bytes);
        blobs.set(sha, bytes);
        entries.push({ path, mode: '100644', type: 'blob', sha, size: bytes.length });
        const segments = path.split('/');
        for (let i = 1; i < segments.length; i++) folders.add(segments.slice(0, i).join('/'));
      }
      for (const folder of folders) entries.push({ path: folder, mode: '040000', type: 'tree', sha: sha1('tree', folder, JSON.stringify(entries.filter((e) => e.path.startsWith(`${folder}/`)))) });
      const treeSha = sha1('tree', JSON.stringify(entries));
      trees.set(treeSha, entries);
      const key = `${owner}/${name}`;
      const repo = repos.get(key) ?? { defaultBranch, branches: new Map<string, Branch>() };
      repo.branches.set(branch, { treeSha, commitSha: sha1('commit', treeSha, String(Date.now()), String(Math.random())) });
      repos.set(key, repo);
    },
    close: server.close,
  };
}
