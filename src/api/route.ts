import type { z } from 'zod';
import type { Principal } from '../keys/api-key.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What a handler receives: path parameters, query string and the parsed JSON body. */
export interface RequestContext {
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
  sourceIp: string;
  /** The verified caller. */
  principal: Principal;
}

export interface HandlerResult {
  status?: number;
  body?: unknown;
}

/** One AWS IoT operation bound to its REST method and path template, as the service model has it. */
export interface Route {
  operation: string;
  method: HttpMethod;
  /** Path template with `{name}` segments, e.g. `/things/{thingName}`. */
  path: string;
  /** Hands the handler the body as a Buffer instead of parsed JSON. */
  rawBody?: boolean;
  /** The reason Warden returns an error for this operation instead of serving it. */
  notImplemented?: string;
  handler: (context: RequestContext) => Promise<HandlerResult | void> | HandlerResult | void;
}

/** Declares a route whose JSON body is checked against a schema before the handler runs. */
export interface RouteWithBody<S extends z.ZodType> {
  operation: string;
  method: HttpMethod;
  path: string;
  body: S;
  handler: (context: RequestContext, body: z.infer<S>) => Promise<HandlerResult | void>;
}
