// Roles and token scopes as the server applies them. The order and the names are in
// protocol/roles.ts; what each route needs is on its contract (protocol/*.ts).
import { ROLES, roleAtLeast, type Role } from '#protocol/roles.ts';
import type { RouteContract } from '#protocol/routes.ts';
import type { TokenScope } from '#protocol/tokens.ts';
import { ForbiddenError } from '#server/errors.ts';

/** The most a token of each scope may act as; `admin` leaves the user's own role uncapped. */
const SCOPE_CAP: Record<TokenScope, Role> = { read: 'viewer', write: 'member', admin: 'owner' };

/** The least role a route needs: its contract's `role`, else reads need viewer and writes member. */
export function requiredRole(contract: Pick<RouteContract, 'method' | 'role'>): Role {
  return contract.role ?? (contract.method === 'get' ? 'viewer' : 'member');
}

/** The weaker of the user's role and the token scope's cap. */
export function effectiveRole(userRole: Role, scope: TokenScope): Role {
  const cap = SCOPE_CAP[scope];
  return roleAtLeast(userRole, cap) ? cap : userRole;
}

/** A scope never grants more than another: `read` < `write` < `admin`. */
export function scopeAtMost(scope: TokenScope, limit: TokenScope): boolean {
  const order: TokenScope[] = ['read', 'write', 'admin'];
  return order.indexOf(scope) <= order.indexOf(limit);
}

/** Reads a role stored in the database, so a value no one wrote through the API cannot grant anything. */
export function storedRole(value: string): Role {
  return (ROLES as readonly string[]).includes(value) ? (value as Role) : 'viewer';
}

export function storedScope(value: string): TokenScope {
  return value === 'admin' || value === 'write' ? value : 'read';
}

export interface RoleHolder {
  role: Role;
  userRole: Role;
  scope: TokenScope;
}

/** Throws the 403 that names what is missing, and why the caller lacks it. */
export function requireRole(holder: RoleHolder, needed: Role): void {
  if (roleAtLeast(holder.role, needed)) return;
  const why =
    holder.role === holder.userRole ? `you are ${holder.role}` : `this token acts as ${holder.role} (scope ${holder.scope}; your role is ${holder.userRole})`;
  throw new ForbiddenError(`needs role ${needed}; ${why}`);
}
