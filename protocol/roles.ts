import { z } from 'zod';

/**
 * A member's role in a tenant, weakest first: viewers read, members do work (runs, notes,
 * triage), admins manage the team's providers, budgets, shared personas, workflows and members,
 * owners manage admins and the team itself.
 */
export const ROLES = ['viewer', 'member', 'admin', 'owner'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

/** True when `held` is at least `needed` in the order above. */
export function roleAtLeast(held: Role, needed: Role): boolean {
  return ROLES.indexOf(held) >= ROLES.indexOf(needed);
}
