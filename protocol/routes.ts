import type { z } from 'zod';

/**
 * One HTTP endpoint's contract. The server validates with these schemas, the OpenAPI document is
 * generated from them, and the extension's client takes its types from them.
 */
export interface RouteContract {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  summary: string;
  auth: boolean;
  body?: z.ZodType;
  query?: z.ZodType;
  response?: z.ZodType;
  status?: number;
}

export function route<const T extends RouteContract>(contract: T): T {
  return contract;
}
