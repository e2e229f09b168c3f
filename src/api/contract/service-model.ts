import { readFileSync } from 'node:fs';
import { sharedPath } from '../../testing/shared-reference.ts';

/** One member of a structure shape, as the Smithy JSON (AWS "service-2") model writes it. */
export interface MemberModel {
  shape: string;
  /** Location of the member when it is not in the JSON body: `uri`, `querystring`, `header`, ... */
  location?: string;
  locationName?: string;
}

/** One shape of the service model, reduced to the fields the contract checks read. */
export interface ShapeModel {
  type: string;
  members?: Record<string, MemberModel>;
  required?: string[];
  member?: { shape: string };
  key?: { shape: string };
  value?: { shape: string };
  enum?: string[];
  min?: number;
  max?: number;
  error?: { httpStatusCode: number };
  exception?: boolean;
}

/** One operation: its HTTP binding, input and output shapes and the errors it may return. */
export interface OperationModel {
  name: string;
  http: { method: string; requestUri: string; responseCode?: number };
  input?: { shape: string };
  output?: { shape: string };
  errors?: { shape: string }[];
}

export interface ServiceModel {
  operations: Record<string, OperationModel>;
  shapes: Record<string, ShapeModel>;
}

export interface PaginatorModel {
  input_token: string;
  output_token: string;
  limit_key: string;
  result_key: string;
}

let cachedModel: ServiceModel | undefined;

/** Reads the AWS IoT service model once per process, because the file is large and never changes. */
export function loadServiceModel(): ServiceModel {
  cachedModel ??= JSON.parse(
    readFileSync(sharedPath('aws', 'iot-2015-05-28.service-2.json'), 'utf8'),
  ) as ServiceModel;
  return cachedModel;
}

/** Reads the paginator definitions: which request and response members carry the page token. */
export function loadPaginators(): Record<string, PaginatorModel> {
  const file = JSON.parse(
    readFileSync(sharedPath('aws', 'iot-2015-05-28.paginators-1.json'), 'utf8'),
  ) as { pagination: Record<string, PaginatorModel> };
  return file.pagination;
}

/** Looks an operation up by name and fails loudly when the model does not define it. */
export function requireOperation(model: ServiceModel, name: string): OperationModel {
  const operation = model.operations[name];
  if (operation === undefined) throw new Error(`Operation "${name}" is not in the service model`);
  return operation;
}

/** Names of the errors the model lists for an operation. */
export function operationErrors(model: ServiceModel, name: string): string[] {
  return (requireOperation(model, name).errors ?? []).map((error) => error.shape);
}
