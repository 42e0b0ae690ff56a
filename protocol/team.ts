import { z } from 'zod';
import { Role } from './roles.ts';
import { route } from './routes.ts';
import { IssuedToken } from './tokens.ts';

// Team administration: members and their roles, invitations, the audit and security logs, and
// deleting the team. Shapes are described in docs/team-admin.md.

export const Member = z.object({
  id: z.uuid(),
  email: z.string(),
  displayName: z.string().nullable(),
  role: Role,
  createdAt: z.string(),
  /** When the member last used any of their tokens (null: never). */
  lastActiveAt: z.string().nullable(),
});
export type Member = z.infer<typeof Member>;
export const MemberList = z.object({ items: z.array(Member) });

export const MemberIdParams = z.object({ id: z.uuid() });
export const MemberUpdate = z.strictObject({ role: Role });
export type MemberUpdate = z.infer<typeof MemberUpdate>;

export const INVITATION_STATES = ['pending', 'accepted', 'revoked', 'expired'] as const;
export const InvitationState = z.enum(INVITATION_STATES);

export const Invitation = z.object({
  id: z.uuid(),
  role: Role,
  /** Only this address may accept it, when set. */
  email: z.string().nullable(),
  /** The first characters of the code, to tell invitations apart. */
  prefix: z.string(),
  state: InvitationState,
  expiresAt: z.string(),
  createdBy: z.uuid().nullable(),
  createdAt: z.string(),
  acceptedAt: z.string().nullable(),
  acceptedUserId: z.uuid().nullable(),
  revokedAt: z.string().nullable(),
});
export type Invitation = z.infer<typeof Invitation>;
export const InvitationList = z.object({ items: z.array(Invitation) });

export const InvitationCreate = z.strictObject({
  role: Role.default('member'),
  email: z.email().max(320).nullable().optional(),
  /** Hours until the code stops working (default 7 days, at most 30 days). */
  expiresInHours: z.int().min(1).max(720).default(168),
});
export type InvitationCreate = z.input<typeof InvitationCreate>;

/** The code is in this answer only (it is stored as a hash). */
export const IssuedInvitation = z.object({ invitation: Invitation, code: z.string() });
export type IssuedInvitation = z.infer<typeof IssuedInvitation>;
export const InvitationIdParams = z.object({ id: z.uuid() });

export const InvitationAccept = z.strictObject({
  code: z.string().min(1).max(200),
  email: z.email().max(320),
  displayName: z.string().trim().min(1).max(200).optional(),
});
export type InvitationAccept = z.input<typeof InvitationAccept>;

export const AcceptedInvitation = z.object({
  tenant: z.object({ id: z.uuid(), name: z.string() }),
  member: Member,
  /** A first token (scope `admin`: the member's whole role), shown once. */
  token: IssuedToken,
});
export type AcceptedInvitation = z.infer<typeof AcceptedInvitation>;

const Cursor = z.string().max(200);
const Limit = z.coerce.number().int().min(1).max(200).default(50);

export const AuditQuery = z.strictObject({
  actor: z.uuid().optional(),
  /** An exact action (`member.role`) or a prefix ending in a dot (`token.`). */
  action: z.string().max(64).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
  cursor: Cursor.optional(),
  limit: Limit,
});
export type AuditQuery = z.input<typeof AuditQuery>;

export const AuditEntry = z.object({
  id: z.uuid(),
  at: z.string(),
  actor: z.object({ id: z.uuid(), email: z.string().nullable() }).nullable(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.uuid(),
  /** The client address the request came from (null: the CLI or the server itself). */
  remoteAddress: z.string().nullable(),
  data: z.record(z.string(), z.unknown()).nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;
/** `nextCursor` is null on the last page. */
export const AuditPage = z.object({ items: z.array(AuditEntry), nextCursor: z.string().nullable() });
export type AuditPage = z.infer<typeof AuditPage>;

export const SecurityQuery = z.strictObject({
  kind: z.string().max(64).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
  cursor: Cursor.optional(),
  limit: Limit,
});
export type SecurityQuery = z.input<typeof SecurityQuery>;

export const SecurityEntry = z.object({
  id: z.uuid(),
  /** First event of the aggregated window; `lastSeenAt` the latest, `count` how many. */
  at: z.string(),
  lastSeenAt: z.string().nullable(),
  count: z.number().int(),
  kind: z.string(),
  actorUserId: z.uuid().nullable(),
  target: z.string().nullable(),
  remoteAddress: z.string().nullable(),
});
export type SecurityEntry = z.infer<typeof SecurityEntry>;
export const SecurityPage = z.object({ items: z.array(SecurityEntry), nextCursor: z.string().nullable() });
export type SecurityPage = z.infer<typeof SecurityPage>;

/**
 * Deleting the team asks for its name, so a slip of a script cannot do it. A query parameter, not
 * a body: DELETE bodies have no defined meaning in HTTP, and proxies may drop them.
 */
export const TeamDelete = z.strictObject({ confirm: z.string().min(1).max(200) });

export const TeamInfo = z.object({ id: z.uuid(), name: z.string(), members: z.number().int() });

export const teamRoutes = {
  team: route({ method: 'get', path: '/api/v1/team', summary: 'The team (tenant) and how many members it has', auth: true, response: TeamInfo }),
  deleteTeam: route({
    method: 'delete',
    path: '/api/v1/team',
    summary: 'Delete the team and everything it owns (owners only; ?confirm=<team name>)',
    auth: true,
    role: 'owner',
    query: TeamDelete,
    status: 204,
  }),
  listMembers: route({ method: 'get', path: '/api/v1/members', summary: 'List the team\'s members with their roles', auth: true, response: MemberList }),
  // Admins manage members and viewers; anything that makes or touches an admin or owner needs an owner (403).
  updateMember: route({
    method: 'patch',
    path: '/api/v1/members/:id',
    params: MemberIdParams,
    summary: 'Change a member\'s role (admins and owners: owners only; never the last owner)',
    auth: true,
    role: 'admin',
    body: MemberUpdate,
    response: Member,
    errors: [403, 409],
  }),
  removeMember: route({
    method: 'delete',
    path: '/api/v1/members/:id',
    params: MemberIdParams,
    summary: 'Remove a member and revoke their tokens at once (never the last owner)',
    auth: true,
    role: 'admin',
    status: 204,
    errors: [403, 409],
  }),
  listInvitations: route({ method: 'get', path: '/api/v1/invitations', summary: 'List invitations (never the codes)', auth: true, role: 'admin', response: InvitationList }),
  createInvitation: route({
    method: 'post',
    path: '/api/v1/invitations',
    summary: 'Invite someone with a role: a one-time code, shown once (admin and owner invitations: owners only)',
    auth: true,
    role: 'admin',
    body: InvitationCreate,
    response: IssuedInvitation,
    status: 201,
    errors: [403],
  }),
  revokeInvitation: route({
    method: 'post',
    path: '/api/v1/invitations/:id/revoke',
    params: InvitationIdParams,
    summary: 'Revoke an invitation that was not accepted yet',
    auth: true,
    role: 'admin',
    response: Invitation,
    errors: [403],
  }),
  // No token: the code is the credential. Wrong codes are rate limited per address like bad tokens.
  acceptInvitation: route({
    method: 'post',
    path: '/api/v1/invitations/accept',
    summary: 'Accept an invitation: creates the member with the invited role and a first token',
    auth: false,
    body: InvitationAccept,
    response: AcceptedInvitation,
    status: 201,
    errors: [403, 410, 429],
  }),
};

/** The audit and security logs, for admins. */
export const auditRoutes = {
  audit: route({
    method: 'get',
    path: '/api/v1/audit',
    summary: 'The audit log: who did what, when and from where, newest first (cursor paginated)',
    auth: true,
    role: 'admin',
    query: AuditQuery,
    response: AuditPage,
  }),
  securityEvents: route({
    method: 'get',
    path: '/api/v1/audit/security',
    summary: 'Security events of this team: refused tokens, cross-tenant probes, sign-in failures (cursor paginated)',
    auth: true,
    role: 'admin',
    query: SecurityQuery,
    response: SecurityPage,
  }),
};
