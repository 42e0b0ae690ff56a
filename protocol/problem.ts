import { z } from 'zod';

/** RFC 9457 problem details, the body of every 4xx/5xx answer. */
export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.string(),
  /** The request field that was wrong, as a dotted path (`github.owner`), when one was. */
  field: z.string().optional(),
  requestId: z.string().optional(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});
export type Problem = z.infer<typeof Problem>;
