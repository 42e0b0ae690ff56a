import { ApiToken } from '../modules/tenancy/api-token.entity.ts';
import { Tenant } from '../modules/tenancy/tenant.entity.ts';
import { User } from '../modules/tenancy/user.entity.ts';
import { AuditEvent } from '../modules/audit/audit-event.entity.ts';
import { SecurityEvent } from '../modules/audit/security-event.entity.ts';
import { Project } from '../modules/projects/project.entity.ts';
import { RunRow } from '../modules/runs/run.entity.ts';
import { RunEventRow } from '../modules/runs/run-event.entity.ts';
import { ProviderCredential } from '../modules/ai/provider-credential.entity.ts';
import { AiCall } from '../modules/ai/ai-call.entity.ts';
import { AiModel } from '../modules/ai/ai-model.entity.ts';
import { AiBudget } from '../modules/ai/ai-budget.entity.ts';
import { Blob } from '../modules/analysis/blob.entity.ts';
import { Snapshot } from '../modules/analysis/snapshot.entity.ts';
import { AnalysisCacheEntry } from '../modules/analysis/analysis-cache.entity.ts';
import { FindingRow } from '../modules/analysis/finding.entity.ts';
import { CodePatternRow } from '../modules/analysis/code-pattern.entity.ts';
import { GithubCredential } from '../modules/github/github-credential.entity.ts';
import { GithubBlob } from '../modules/github/github-blob.entity.ts';
import { GithubSync } from '../modules/github/github-sync.entity.ts';
import { PersonaRow } from '../modules/personas/persona.entity.ts';
import { DiscussionRow, DiscussionTurnRow } from '../modules/discussions/discussion.entity.ts';
import { WorkflowRow, WorkflowVersionRow } from '../modules/workflows/workflow.entity.ts';
import { WorkflowStepOutputRow } from '../modules/workflows/step-output.entity.ts';
import { WorkflowInsightRow } from '../modules/workflows/insight.entity.ts';
import { ReportRow } from '../modules/reports/report.entity.ts';
import { NoteRow } from '../modules/notes/note.entity.ts';
import { MemoryEntryRow } from '../modules/memory/memory-entry.entity.ts';
import { DigestRow } from '../modules/digests/digest.entity.ts';
import { AutofixApplicationRow } from '../modules/autofix/autofix-application.entity.ts';

/** Every entity the ORM knows. A feature adds its entities here and a migration for their tables. */
export const entities = [Tenant, User, ApiToken, AuditEvent, SecurityEvent, Project, RunRow, RunEventRow, ProviderCredential, AiCall, AiModel, AiBudget,
  Blob, Snapshot, AnalysisCacheEntry, FindingRow, CodePatternRow, GithubCredential, GithubBlob, GithubSync,
  ReportRow, NoteRow, MemoryEntryRow, DigestRow,
  AutofixApplicationRow,
  PersonaRow, DiscussionRow, DiscussionTurnRow, WorkflowRow, WorkflowVersionRow, WorkflowStepOutputRow, WorkflowInsightRow];
