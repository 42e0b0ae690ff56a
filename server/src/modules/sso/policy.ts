// The rules of a sign-in that need no database: where the browser may be sent back, and which
// role the identity provider's groups give.
import { ROLES, type Role } from '#protocol/roles.ts';
import { isLoopbackHost } from './idp-client.ts';

/** Editors that register a URI scheme of their own (VS Code and its builds and forks). */
const EDITOR_SCHEMES = new Set(['vscode', 'vscode-insiders', 'vscodium', 'code-oss', 'cursor', 'windsurf', 'positron']);

/**
 * The client's redirect must lead back to the machine that started the sign-in: a loopback port,
 * an editor's own URI scheme, or an origin the team allowed (a browser-based editor). Anything
 * else would let a link started by someone else deliver a victim's sign-in to them.
 */
export function redirectProblem(redirectUri: string, allowedOrigins: readonly string[]): string | null {
  let url: URL;
  try {
    url = new URL(redirectUri);
  } catch {
    return 'not a URL';
  }
  if (url.username || url.password) return 'must not carry a user or password';
  if (url.hash) return 'must not have a fragment';
  const scheme = url.protocol.slice(0, -1);
  if (EDITOR_SCHEMES.has(scheme)) return null;
  if (scheme === 'http' && isLoopbackHost(url.hostname)) return null;
  if ((scheme === 'https' || scheme === 'http') && allowedOrigins.some((origin) => sameOrigin(origin, url))) return null;
  return 'must be a loopback http URL, an editor URI (vscode://...) or an origin listed in the team\'s redirectOrigins';
}

function sameOrigin(origin: string, url: URL): boolean {
  try {
    return new URL(origin).origin === url.origin;
  } catch {
    return false;
  }
}

/** The group names in a claim: a list of strings, or one string. Anything else counts as no groups. */
export function groupsFrom(claims: Record<string, unknown>, claimName: string): string[] {
  const value = claims[claimName];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return [];
}

/** The strongest role any of the groups maps to; null when none is mapped. */
export function mappedRole(groups: readonly string[], groupRoles: Readonly<Record<string, Role>>): Role | null {
  let best: Role | null = null;
  for (const group of groups) {
    const role = Object.hasOwn(groupRoles, group) ? groupRoles[group] : undefined;
    if (role && (best === null || ROLES.indexOf(role) > ROLES.indexOf(best))) best = role;
  }
  return best;
}

export interface RoleDecisionInput {
  /** The member's role now; null for someone signing in for the first time. */
  current: Role | null;
  /** From the groups (mappedRole). */
  mapped: Role | null;
  /** True when the team maps any group: then the IdP decides the role at every sign-in. */
  mappingActive: boolean;
  defaultRole: Role | null;
  /** The role an invitation for this email grants (first sign-in only). */
  invited: Role | null;
}

/**
 * The role a sign-in leaves the member with, or null to refuse. With a mapping, the groups decide
 * (else the invitation, else the default role). Without one, roles are managed in Nyx: a member
 * keeps theirs. An owner is never demoted by the IdP: owners are managed in Nyx, and a group
 * change at the IdP must not leave a team without its owner.
 */
export function decideRole(input: RoleDecisionInput): Role | null {
  if (input.current === 'owner') return 'owner';
  if (input.mappingActive) return input.mapped ?? input.invited ?? input.defaultRole;
  return input.current ?? input.invited ?? input.defaultRole;
}
