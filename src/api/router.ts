import { invalidRequest } from '../core/errors.ts';
import type { HttpMethod, Route } from './route.ts';

interface CompiledRoute {
  route: Route;
  pattern: RegExp;
  names: string[];
  literalLength: number;
}

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

/**
 * Matches a request path against the operations' path templates. A `{name}` segment matches one
 * path segment; `{name+}` matches the rest. Literal segments win over parameters, so
 * `/thing-groups/addThingToThingGroup` is not taken for a group named "addThingToThingGroup".
 */
export class Router {
  private readonly routes: CompiledRoute[] = [];

  add(routes: Route[]): void {
    for (const route of routes) this.routes.push(compile(route));
    this.routes.sort((a, b) => b.literalLength - a.literalLength);
  }

  list(): Route[] {
    return this.routes.map((compiled) => compiled.route);
  }

  /** Returns the matching route, or the methods the path allows when only the method differs. */
  match(method: HttpMethod, path: string): RouteMatch | { allowed: HttpMethod[] } | undefined {
    const allowed: HttpMethod[] = [];
    for (const compiled of this.routes) {
      const found = compiled.pattern.exec(path);
      if (!found) continue;
      if (compiled.route.method !== method) {
        allowed.push(compiled.route.method);
        continue;
      }
      return { route: compiled.route, params: extractParams(compiled.names, found) };
    }
    return allowed.length > 0 ? { allowed } : undefined;
  }
}

function compile(route: Route): CompiledRoute {
  const names: string[] = [];
  let literalLength = 0;
  const source = route.path
    .split('/')
    .map((segment) => {
      const parameter = /^\{([A-Za-z]+)(\+?)\}$/.exec(segment);
      if (!parameter) {
        literalLength += segment.length + 1;
        return escapeRegExp(segment);
      }
      names.push(parameter[1] ?? '');
      return parameter[2] === '+' ? '(.+)' : '([^/]+)';
    })
    .join('/');
  return { route, pattern: new RegExp(`^${source}/?$`), names, literalLength };
}

function extractParams(names: string[], found: RegExpExecArray): Record<string, string> {
  const params: Record<string, string> = {};
  names.forEach((name, index) => {
    const raw = found[index + 1] ?? '';
    try {
      params[name] = decodeURIComponent(raw);
    } catch {
      throw invalidRequest(`Invalid percent-encoding in path parameter "${name}": "${raw}"`);
    }
  });
  return params;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
