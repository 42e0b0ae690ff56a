/**
 * Every column of a tenant table that names a row of another tenant table, and the composite
 * foreign key that holds it: `(tenant_id, <column>)` references `(tenant_id, id)` of the target.
 * Because tenant_id is part of the key, a row can only point at a row of its own tenant: an id of
 * another tenant is as unknown to the database as an id that does not exist (decision 0011).
 * The keys are checked at commit (deferred), because one flush may insert a child before its parent.
 *
 * The ORM's schema generator adds these keys to its picture of the schema (schema-generator.ts),
 * so the drift test compares them with what the migrations built; test/server/tenancy/references
 * reads the catalog and fails on any `*_id` / `*_by` uuid column that is neither here nor exempt.
 */

/** What happens to the referencing row when the referenced one is deleted. */
export type ReferenceDeleteRule =
  /** The row belongs to the referenced one (a project's runs, a run's events). */
  | 'cascade'
  /** The row outlives it and forgets it (who created a project, which run wrote a memory entry). */
  | 'set null';

export interface TenantReference {
  table: string;
  column: string;
  references: string;
  onDelete: ReferenceDeleteRule;
}

/** Tables other tenant tables point at: each has a unique (tenant_id, id) for the keys to target. */
export const REFERENCED_TABLES = ['users', 'projects', 'runs', 'snapshots', 'reports', 'personas', 'workflows', 'github_syncs', 'policy_documents', 'policy_versions'] as const;

const byUser = (table: string, ...columns: string[]): TenantReference[] =>
  columns.map((column) => ({ table, column, references: 'users', onDelete: 'set null' }));
const owned = (table: string, column: string, references: string): TenantReference => ({ table, column, references, onDelete: 'cascade' });
const remembered = (table: string, column: string, references: string): TenantReference => ({ table, column, references, onDelete: 'set null' });

export const TENANT_REFERENCES: readonly TenantReference[] = [
  // Authors and actors. Users are never deleted today; if they are, what they did stays.
  owned('api_tokens', 'user_id', 'users'),
  ...byUser('projects', 'created_by', 'updated_by'),
  ...byUser('ai_models', 'created_by'),
  ...byUser('ai_budgets', 'updated_by'),
  ...byUser('provider_credentials', 'created_by', 'updated_by'),
  ...byUser('github_credentials', 'created_by', 'updated_by'),
  ...byUser('personas', 'created_by', 'updated_by'),
  ...byUser('workflows', 'created_by', 'updated_by'),
  ...byUser('workflow_versions', 'created_by'),
  ...byUser('notes', 'created_by', 'updated_by'),
  ...byUser('runs', 'created_by'),
  ...byUser('reports', 'created_by'),
  ...byUser('digests', 'created_by'),
  ...byUser('discussions', 'created_by'),
  ...byUser('github_syncs', 'created_by'),
  ...byUser('blobs', 'created_by'),
  ...byUser('snapshots', 'created_by'),
  ...byUser('findings', 'dismissed_by'),
  ...byUser('memory_entries', 'created_by'),
  ...byUser('autofix_applications', 'applied_by'),
  ...byUser('audit_events', 'actor_user_id'),
  ...byUser('ai_calls', 'user_id'),
  ...byUser('invitations', 'created_by', 'accepted_user_id'),

  // A project owns everything done in it: deleting the project deletes it all.
  ...['runs', 'reports', 'notes', 'snapshots', 'findings', 'code_patterns', 'memory_entries', 'digests', 'discussions', 'github_syncs', 'workflow_insights', 'autofix_applications'].map(
    (table) => owned(table, 'project_id', 'projects'),
  ),

  // A run owns its events and what it produced.
  ...['run_events', 'reports', 'digests', 'discussions', 'discussion_turns', 'github_syncs', 'workflow_insights', 'workflow_step_outputs', 'autofix_applications'].map(
    (table) => owned(table, 'run_id', 'runs'),
  ),
  // ...and other rows only mention one (cost accounting, provenance, reuse).
  remembered('ai_calls', 'run_id', 'runs'),
  remembered('memory_entries', 'source_run_id', 'runs'),
  remembered('autofix_applications', 'analysis_run_id', 'runs'),
  remembered('workflow_step_outputs', 'reused_from_run_id', 'runs'),
  remembered('findings', 'last_seen_run_id', 'runs'),
  // The base of the next incremental analysis (decision 0024): gone with the run, snapshot or project.
  owned('analysis_states', 'project_id', 'projects'),
  owned('analysis_states', 'run_id', 'runs'),
  owned('analysis_states', 'snapshot_id', 'snapshots'),
  // The snapshot a save was built on (decision 0025): only a shortcut for the next analysis.
  remembered('snapshots', 'base_snapshot_id', 'snapshots'),

  owned('findings', 'first_seen_snapshot_id', 'snapshots'),
  owned('findings', 'last_seen_snapshot_id', 'snapshots'),
  owned('github_syncs', 'snapshot_id', 'snapshots'),
  owned('autofix_applications', 'snapshot_id', 'snapshots'),
  remembered('github_syncs', 'previous_sync_id', 'github_syncs'),
  owned('digests', 'report_id', 'reports'),
  owned('workflow_versions', 'workflow_id', 'workflows'),
  owned('workflow_insights', 'workflow_id', 'workflows'),
  remembered('workflow_step_outputs', 'persona_id', 'personas'),

  // Single sign-on: a sign-in in flight and a session belong to their user; settings remember who changed them.
  owned('sso_logins', 'user_id', 'users'),
  owned('sso_sessions', 'user_id', 'users'),
  ...byUser('sso_configs', 'updated_by'),
  // The policy library: a document owns its versions, a version its clauses. The document's
  // pointer to its latest version is a key too (checked at commit, so both go in one flush).
  ...byUser('policy_documents', 'created_by'),
  ...byUser('policy_versions', 'created_by'),
  owned('policy_versions', 'document_id', 'policy_documents'),
  owned('policy_clauses', 'document_id', 'policy_documents'),
  owned('policy_clauses', 'version_id', 'policy_versions'),
  owned('policy_documents', 'latest_version_id', 'policy_versions'),
];

/**
 * uuid columns that look like references and are deliberately not keys, with the reason. Nothing
 * a client sends lands in them unchecked.
 */
export const UNREFERENCED_COLUMNS: Readonly<Record<string, string>> = {
  'audit_events.entity_id': 'polymorphic (entity_type says which table), and the audit trail must outlive what it names',
  'security_events.actor_user_id':
    'written by the system context about failed or refused requests; tenant_id may be null, and the row must outlive the user',
  'sso_sessions.token_id':
    'the session token in use now, an api_tokens row of the same user (both go with the user); written only by the server, rotated at each refresh',
  'discussion_turns.persona_id':
    'the transcript records who spoke (with persona_name); written by the run engine from a persona it read under RLS, and personas may be deleted later',
};

export function referenceConstraintName(reference: Pick<TenantReference, 'table' | 'column'>): string {
  return `${reference.table}_${reference.column}_tenant_fk`;
}

/** The constraint that failed, back to the column a client named (for a 404 that names its field). */
export function referenceByConstraint(constraint: string): TenantReference | undefined {
  return TENANT_REFERENCES.find((reference) => referenceConstraintName(reference) === constraint);
}
