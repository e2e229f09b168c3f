import { requireOperation, type ServiceModel, type ShapeModel } from './service-model.ts';

/** One way a JSON value departs from a service-model shape, located by a JSON path. */
export interface ShapeProblem {
  path: string;
  message: string;
}

/**
 * Epoch seconds above this are taken for milliseconds: 1e11 seconds is the year 5138, while 1e11
 * milliseconds is 1973, so a real Warden timestamp in milliseconds always lands above it.
 */
const MAX_PLAUSIBLE_EPOCH_SECONDS = 1e11;

/**
 * Walks a JSON value against a shape of the service model and lists every departure. It reports
 * members the shape lacks, missing required members, wrong JSON types and integers with fractions.
 * It also reports timestamps that are not epoch seconds, enum values outside the enum, and lengths
 * outside `min`/`max`. Patterns are not checked because the model writes them as Java regular
 * expressions.
 */
export function checkShape(
  model: ServiceModel,
  shapeName: string,
  value: unknown,
  path = '$',
): ShapeProblem[] {
  const shape = model.shapes[shapeName];
  if (shape === undefined) return [{ path, message: `Unknown shape "${shapeName}"` }];
  switch (shape.type) {
    case 'structure':
      return checkStructure(model, shape, value, path);
    case 'list':
      return checkList(model, shape, value, path);
    case 'map':
      return checkMap(model, shape, value, path);
    default:
      return checkScalar(shape, value, path);
  }
}

/**
 * Checks a rest-json response body against an operation's output shape. Members bound to headers
 * or the status code are not part of the body, so the body must not carry them.
 */
export function checkOutput(
  model: ServiceModel,
  operationName: string,
  body: unknown,
): ShapeProblem[] {
  const operation = requireOperation(model, operationName);
  if (operation.output === undefined) return checkEmptyBody(body);
  const shape = model.shapes[operation.output.shape];
  if (shape === undefined)
    return [{ path: '$', message: `Unknown shape "${operation.output.shape}"` }];
  const bodyMembers = Object.fromEntries(
    Object.entries(shape.members ?? {}).filter(([, member]) => member.location === undefined),
  );
  const bodyShape: ShapeModel = { ...shape, members: bodyMembers };
  return checkStructure(model, bodyShape, body ?? {}, '$');
}

/** Checks an error body against the error's shape, e.g. `{ message, resourceId, resourceArn }`. */
export function checkErrorBody(
  model: ServiceModel,
  errorName: string,
  body: unknown,
): ShapeProblem[] {
  const shape = model.shapes[errorName];
  if (shape?.exception !== true)
    return [{ path: '$', message: `"${errorName}" is not an error shape` }];
  return checkStructure(model, shape, body, '$');
}

function checkEmptyBody(body: unknown): ShapeProblem[] {
  if (body === undefined) return [];
  if (isRecord(body) && Object.keys(body).length === 0) return [];
  return [{ path: '$', message: `Expected an empty body, got ${preview(body)}` }];
}

function checkStructure(
  model: ServiceModel,
  shape: ShapeModel,
  value: unknown,
  path: string,
): ShapeProblem[] {
  if (!isRecord(value)) return [typeProblem(path, 'an object', value)];
  const members = shape.members ?? {};
  const problems: ShapeProblem[] = [];
  const byJsonName = new Map(
    Object.entries(members).map(([name, member]) => [member.locationName ?? name, member]),
  );
  for (const [key, memberValue] of Object.entries(value)) {
    const member = byJsonName.get(key);
    const memberPath = `${path}.${key}`;
    if (member === undefined && key === 'techniques' && carriesTechniques(members)) {
      problems.push(...checkTechniques(memberValue, memberPath));
      continue;
    }
    if (member === undefined) {
      problems.push({ path: memberPath, message: 'Member is not in the shape' });
      continue;
    }
    // Some servers write an absent member as JSON null, but AWS omits the member instead.
    if (memberValue === null) {
      problems.push({
        path: memberPath,
        message: 'Member is null, but an absent member must be omitted',
      });
      continue;
    }
    problems.push(...checkShape(model, member.shape, memberValue, memberPath));
  }
  for (const name of shape.required ?? []) {
    const key = members[name]?.locationName ?? name;
    if (!(key in value))
      problems.push({ path: `${path}.${key}`, message: 'Required member is missing' });
  }
  return problems;
}

function checkList(
  model: ServiceModel,
  shape: ShapeModel,
  value: unknown,
  path: string,
): ShapeProblem[] {
  if (!Array.isArray(value)) return [typeProblem(path, 'an array', value)];
  const problems = checkLength(shape, value.length, path, 'items');
  value.forEach((item, index) => {
    problems.push(...checkShape(model, shape.member?.shape ?? '', item, `${path}[${index}]`));
  });
  return problems;
}

function checkMap(
  model: ServiceModel,
  shape: ShapeModel,
  value: unknown,
  path: string,
): ShapeProblem[] {
  if (!isRecord(value)) return [typeProblem(path, 'an object', value)];
  const problems = checkLength(shape, Object.keys(value).length, path, 'entries');
  for (const [key, entry] of Object.entries(value)) {
    const entryPath = `${path}[${JSON.stringify(key)}]`;
    problems.push(...checkShape(model, shape.key?.shape ?? '', key, `${entryPath}(key)`));
    problems.push(...checkShape(model, shape.value?.shape ?? '', entry, entryPath));
  }
  return problems;
}

function checkScalar(shape: ShapeModel, value: unknown, path: string): ShapeProblem[] {
  switch (shape.type) {
    case 'string':
      return checkString(shape, value, path);
    case 'boolean':
      return typeof value === 'boolean' ? [] : [typeProblem(path, 'a boolean', value)];
    case 'integer':
    case 'long':
      return Number.isInteger(value)
        ? checkRange(shape, value as number, path)
        : [typeProblem(path, shape.type === 'long' ? 'a long' : 'an integer', value)];
    case 'double':
    case 'float':
      return typeof value === 'number' && Number.isFinite(value)
        ? checkRange(shape, value, path)
        : [typeProblem(path, `a ${shape.type}`, value)];
    case 'timestamp':
      return checkTimestamp(value, path);
    case 'blob':
      return typeof value === 'string' ? [] : [typeProblem(path, 'a base64 string', value)];
    default:
      return [{ path, message: `Unsupported shape type "${shape.type}"` }];
  }
}

function checkString(shape: ShapeModel, value: unknown, path: string): ShapeProblem[] {
  if (typeof value !== 'string') return [typeProblem(path, 'a string', value)];
  if (shape.enum !== undefined && !shape.enum.includes(value)) {
    return [{ path, message: `Value "${value}" is not one of [${shape.enum.join(', ')}]` }];
  }
  return checkLength(shape, [...value].length, path, 'characters');
}

function checkTimestamp(value: unknown, path: string): ShapeProblem[] {
  if (typeof value !== 'number' || !Number.isFinite(value))
    return [typeProblem(path, 'a timestamp in epoch seconds', value)];
  if (value < 0 || value > MAX_PLAUSIBLE_EPOCH_SECONDS)
    return [{ path, message: `Timestamp ${value} is not in epoch seconds (milliseconds?)` }];
  return [];
}

function checkLength(
  shape: ShapeModel,
  length: number,
  path: string,
  unit: string,
): ShapeProblem[] {
  if (shape.min !== undefined && length < shape.min)
    return [{ path, message: `Has ${length} ${unit}, fewer than the minimum ${shape.min}` }];
  if (shape.max !== undefined && length > shape.max)
    return [{ path, message: `Has ${length} ${unit}, more than the maximum ${shape.max}` }];
  return [];
}

function checkRange(shape: ShapeModel, value: number, path: string): ShapeProblem[] {
  if (shape.min !== undefined && value < shape.min)
    return [{ path, message: `Value ${value} is below the minimum ${shape.min}` }];
  if (shape.max !== undefined && value > shape.max)
    return [{ path, message: `Value ${value} is above the maximum ${shape.max}` }];
  return [];
}

function typeProblem(path: string, expected: string, value: unknown): ShapeProblem {
  return { path, message: `Expected ${expected}, got ${preview(value)}` };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * Warden's one addition to AWS shapes: findings and violations name their ATT&CK techniques in
 * `techniques`, a member AWS clients ignore.
 */
function carriesTechniques(members: Record<string, unknown>): boolean {
  return (
    ('findingId' in members && 'checkName' in members) ||
    ('violationId' in members && 'behavior' in members)
  );
}

function checkTechniques(value: unknown, path: string): ShapeProblem[] {
  if (!Array.isArray(value)) return [typeProblem(path, 'a list', value)];
  return value.flatMap((item, index) => {
    const itemPath = `${path}[${index}]`;
    const valid =
      isRecord(item) &&
      typeof item['id'] === 'string' &&
      /^T\d{4}(\.\d{3})?$/.test(item['id']) &&
      typeof item['name'] === 'string' &&
      Array.isArray(item['tactics']) &&
      item['tactics'].every((tactic) => typeof tactic === 'string');
    return valid
      ? []
      : [
          {
            path: itemPath,
            message: 'Technique must be {id: "T1234[.123]", name, tactics: string[]}',
          },
        ];
  });
}
