import { z } from 'zod';
import { route } from './routes.ts';

/** Seniority shown on a persona's card; it also shapes how the persona is prompted. */
export const PersonaLevel = z.enum(['junior', 'mid', 'senior', 'staff', 'principal']);
export type PersonaLevel = z.infer<typeof PersonaLevel>;

/**
 * The 15 domain categories a persona can specialise in (docs/team.md lists their keywords). The
 * order is the tie-break of auto-specialization: an earlier category wins a tie.
 */
export const SPECIALIZATION_CATEGORIES = [
  { id: 'security', label: 'Security' },
  { id: 'performance', label: 'Performance' },
  { id: 'architecture', label: 'Architecture' },
  { id: 'testing', label: 'Testing' },
  { id: 'refactoring', label: 'Refactoring & code quality' },
  { id: 'compliance', label: 'Compliance & privacy' },
  { id: 'accessibility', label: 'Accessibility' },
  { id: 'devops', label: 'DevOps & SRE' },
  { id: 'observability', label: 'Observability' },
  { id: 'frontend', label: 'Frontend' },
  { id: 'backend', label: 'Backend & APIs' },
  { id: 'data', label: 'Data & databases' },
  { id: 'ai-ml', label: 'AI & machine learning' },
  { id: 'mobile', label: 'Mobile' },
  { id: 'documentation', label: 'Documentation' },
] as const;
export const SpecializationId = z.enum(SPECIALIZATION_CATEGORIES.map((c) => c.id) as [SpecializationCategoryId, ...SpecializationCategoryId[]]);
export type SpecializationCategoryId = (typeof SPECIALIZATION_CATEGORIES)[number]['id'];

const Trait = z.string().trim().min(1).max(60);
const ModelId = z.string().trim().min(1).max(200);

export const PersonaCreate = z.strictObject({
  name: z.string().trim().min(1).max(100),
  role: z.string().trim().min(1).max(120),
  description: z.string().max(4_000).default(''),
  traits: z.array(Trait).max(12).default([]),
  /** Empty or missing: derived from the description (top 3 categories by keyword matches). */
  specializations: z.array(SpecializationId).max(6).optional(),
  level: PersonaLevel.default('senior'),
  systemPrompt: z.string().max(20_000).default(''),
  /** A model id from GET /api/v1/models (built-in or the tenant's custom models); null: the tenant default. */
  defaultModel: ModelId.nullable().default(null),
});
export type PersonaCreate = z.input<typeof PersonaCreate>;

export const PersonaUpdate = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  role: z.string().trim().min(1).max(120).optional(),
  description: z.string().max(4_000).optional(),
  traits: z.array(Trait).max(12).optional(),
  /** An empty list asks for auto-specialization from the (new) description again. */
  specializations: z.array(SpecializationId).max(6).optional(),
  level: PersonaLevel.optional(),
  systemPrompt: z.string().max(20_000).optional(),
  defaultModel: ModelId.nullable().optional(),
});
export type PersonaUpdate = z.input<typeof PersonaUpdate>;

/** Media types accepted for an uploaded portrait; SVG is refused when it holds anything active. */
export const PortraitMediaType = z.enum(['image/png', 'image/jpeg', 'image/webp', 'image/svg+xml']);
export type PortraitMediaType = z.infer<typeof PortraitMediaType>;
export const MAX_PORTRAIT_BYTES = 256 * 1024;

export const PortraitUpload = z.strictObject({
  mediaType: PortraitMediaType,
  /** The image bytes, base64; at most MAX_PORTRAIT_BYTES once decoded. */
  dataBase64: z.string().min(1).max(Math.ceil((MAX_PORTRAIT_BYTES * 4) / 3) + 8),
});
export type PortraitUpload = z.input<typeof PortraitUpload>;

export const Persona = z.object({
  id: z.uuid(),
  name: z.string(),
  role: z.string(),
  description: z.string(),
  traits: z.array(z.string()),
  specializations: z.array(SpecializationId),
  /** `auto`: derived from the description; `explicit`: set by a person and never recomputed. */
  specializationsSource: z.enum(['auto', 'explicit']),
  level: PersonaLevel,
  systemPrompt: z.string(),
  defaultModel: z.string().nullable(),
  /** Built-ins are read-only: duplicate one to get an editable copy. */
  builtIn: z.boolean(),
  /** Stable key of a built-in (e.g. `security-auditor`); workflow steps may name a persona by it. */
  builtInKey: z.string().nullable(),
  portrait: z.object({
    kind: z.enum(['generated', 'uploaded']),
    mediaType: PortraitMediaType,
    /** GET it with the bearer token: the uploaded image, or the generated SVG. */
    url: z.string(),
  }),
  createdBy: z.uuid().nullable(),
  updatedBy: z.uuid().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Persona = z.infer<typeof Persona>;

export const PersonaListQuery = z.strictObject({
  /** Case-insensitive match on name, role, description and traits. */
  q: z.string().max(200).optional(),
  category: SpecializationId.optional(),
  builtIn: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
});
export const PersonaList = z.object({ items: z.array(Persona) });
export const PersonaIdParams = z.object({ id: z.uuid() });
export const SpecializationCategoryList = z.object({
  items: z.array(z.object({ id: SpecializationId, label: z.string(), keywords: z.array(z.string()) })),
});

/** Tenant stream event (GET /api/v1/events) after a persona was created, changed or deleted. */
export const PERSONA_CHANGED_EVENT = 'persona.changed';
export const PersonaChangedData = z.object({ personaId: z.uuid(), change: z.enum(['created', 'updated', 'deleted']) });
export type PersonaChangedData = z.infer<typeof PersonaChangedData>;

export const personaRoutes = {
  list: route({ method: 'get', path: '/api/v1/personas', summary: 'List the tenant\'s personas (built-ins are seeded on first use)', auth: true, query: PersonaListQuery, response: PersonaList }),
  categories: route({ method: 'get', path: '/api/v1/personas/categories', summary: 'The 15 specialization categories with their keywords', auth: true, response: SpecializationCategoryList }),
  get: route({ method: 'get', path: '/api/v1/personas/:id', params: PersonaIdParams, summary: 'Get a persona', auth: true, response: Persona }),
  create: route({ role: 'admin', method: 'post', path: '/api/v1/personas', summary: 'Create a persona', auth: true, body: PersonaCreate, response: Persona, status: 201 }),
  update: route({ role: 'admin', method: 'patch', path: '/api/v1/personas/:id', params: PersonaIdParams, errors: [409], summary: 'Update a persona (built-ins are read-only: 409)', auth: true, body: PersonaUpdate, response: Persona }),
  remove: route({ role: 'admin', method: 'delete', path: '/api/v1/personas/:id', params: PersonaIdParams, errors: [409], summary: 'Delete a persona (built-ins: 409)', auth: true, status: 204 }),
  duplicate: route({ role: 'admin', method: 'post', path: '/api/v1/personas/:id/duplicate', params: PersonaIdParams, summary: 'Copy a persona (e.g. a built-in) into an editable one', auth: true, response: Persona, status: 201 }),
  portrait: route({ method: 'get', path: '/api/v1/personas/:id/portrait', params: PersonaIdParams, produces: ['image/svg+xml', 'image/png', 'image/jpeg', 'image/webp'], summary: 'The persona\'s portrait: the uploaded image, else the generated SVG', auth: true }),
  portraitSvg: route({ method: 'get', path: '/api/v1/personas/:id/portrait.svg', params: PersonaIdParams, produces: ['image/svg+xml'], summary: 'The generated portrait (deterministic SVG from the name)', auth: true }),
  uploadPortrait: route({ role: 'admin', method: 'put', path: '/api/v1/personas/:id/portrait', params: PersonaIdParams, errors: [409], summary: 'Upload a portrait (png, jpeg, webp or a static SVG; at most 256 KiB)', auth: true, body: PortraitUpload, response: Persona }),
  removePortrait: route({ role: 'admin', method: 'delete', path: '/api/v1/personas/:id/portrait', params: PersonaIdParams, errors: [409], summary: 'Go back to the generated portrait', auth: true, response: Persona }),
};
