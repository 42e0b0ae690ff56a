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

/** Every entity the ORM knows. A feature adds its entities here and a migration for their tables. */
export const entities = [Tenant, User, ApiToken, AuditEvent, SecurityEvent, Project, RunRow, RunEventRow, ProviderCredential, AiCall, AiModel, AiBudget];
