/**
 * A `.gitignore` matcher for folders that are not git repositories (where `git ls-files` cannot
 * answer). It follows gitignore(5): `#` comments, `!` negation (last match wins), a trailing `/`
 * for directories only, a `/` at the start or in the middle anchors the pattern to the root,
 * `*`, `?`, `[...]` and `**` as git reads them, and a file inside an ignored directory stays
 * ignored whatever later patterns say (git never descends into an excluded directory).
 */

interface Rule {
  regex: RegExp;
  negated: boolean;
  directoryOnly: boolean;
}

export class GitIgnore {
  private readonly rules: Rule[];

  constructor(text: string) {
    this.rules = text.split(/\r?\n/).map(parseLine).filter((rule): rule is Rule => rule !== undefined);
  }

  /** Whether a workspace-relative path (forward slashes) of a file is ignored. */
  ignores(path: string): boolean {
    const segments = path.split('/');
    for (let depth = 1; depth < segments.length; depth++) {
      if (this.decide(segments.slice(0, depth).join('/'), true)) return true;
    }
    return this.decide(path, false);
  }

  private decide(path: string, isDirectory: boolean): boolean {
    let ignored = false;
    for (const rule of this.rules) {
      if (rule.directoryOnly && !isDirectory) continue;
      if (rule.regex.test(path)) ignored = !rule.negated;
    }
    return ignored;
  }
}

function parseLine(line: string): Rule | undefined {
  // Trailing spaces are dropped unless escaped with a backslash.
  let pattern = line.replace(/(?<!\\)\s+$/, '');
  if (pattern === '' || pattern.startsWith('#')) return undefined;
  let negated = false;
  if (pattern.startsWith('!')) {
    negated = true;
    pattern = pattern.slice(1);
  } else if (pattern.startsWith('\\!') || pattern.startsWith('\\#')) {
    pattern = pattern.slice(1);
  }
  const directoryOnly = pattern.endsWith('/');
  if (directoryOnly) pattern = pattern.replace(/\/+$/, '');
  if (pattern === '') return undefined;
  // A slash anywhere but at the end anchors the pattern to the .gitignore's folder.
  const anchored = pattern.includes('/');
  pattern = pattern.replace(/^\//, '');
  const body = globToRegex(pattern);
  return { regex: new RegExp(anchored ? `^${body}$` : `^(?:.*/)?${body}$`), negated, directoryOnly };
}

function globToRegex(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i];
    if (char === '*' && glob[i + 1] === '*') {
      const atStart = i === 0 || glob[i - 1] === '/';
      const atEnd = i + 2 === glob.length || glob[i + 2] === '/';
      if (atStart && atEnd) {
        if (i + 2 === glob.length) out += '.*'; // "a/**": everything inside a
        else out += '(?:.*/)?'; // "**/b" and "a/**/b": zero or more directories
        i += 2; // also skips the slash after "**"
        continue;
      }
      out += '[^/]*';
      i++;
    } else if (char === '*') {
      out += '[^/]*';
    } else if (char === '?') {
      out += '[^/]';
    } else if (char === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close === -1) {
        out += '\\[';
        continue;
      }
      const inside = glob.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\');
      out += `[${inside}]`;
      i = close;
    } else if (char === '\\' && i + 1 < glob.length) {
      out += escapeRegex(glob[++i]);
    } else {
      out += escapeRegex(char);
    }
  }
  return out;
}

function escapeRegex(char: string): string {
  return char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
