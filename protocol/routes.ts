import type { z } from 'zod';
import type { Role } from './roles.ts';

/**
 * One HTTP endpoint's contract. The server validates with these schemas, the OpenAPI document is
 * generated from them, and the extension's client takes its types from them.
 */
export interface RouteContract {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  summary: string;
  auth: boolean;
  /**
   * The least role that may call this route. Unset, reads (`get`) need `viewer` and everything
   * else `member`; admin work says `admin` or `owner` here, next to the rest of the contract.
   */
  role?: Role;
  /** Path parameters. Ids are `z.uuid()`, so anything else is a 400 naming the param, never a DB error. */
  params?: z.ZodType;
  body?: z.ZodType;
  query?: z.ZodType;
  response?: z.ZodType;
  status?: number;
  /** Other success statuses answering the same body (a deduplicated analysis answers 200, not 201). */
  alsoStatus?: number[];
  /** Media types of a non-JSON success body (an event stream, Markdown, a PDF, an image). */
  produces?: string[];
  /** Media type of a raw request body, read by the handler itself instead of `body`. */
  rawBody?: string;
  /** Error statuses beyond those the mount implies (400, 401, 404, 413, 415): 409, 429, 502, ... */
  errors?: number[];
}

export function route<const T extends RouteContract>(contract: T): T {
  return contract;
}
