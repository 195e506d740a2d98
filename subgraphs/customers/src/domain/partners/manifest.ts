import { createHash } from 'node:crypto';
import { GraphQLError, Kind, parse, type OperationDefinitionNode } from 'graphql';
import { userError, type Result, type UserError } from '@commerce/platform';
import type { PersistedOperation } from '../../model/partner.model.ts';

/** Apollo's persisted query manifest format (what `generate-persisted-query-manifest` writes). */
export const MANIFEST_FORMAT = 'apollo-persisted-query-manifest';
export const MAX_MANIFEST_OPERATIONS = 1_000;
export const MAX_OPERATION_BYTES = 50_000;
const MAX_ERRORS = 20;

export const ManifestErrorCode = { INVALID_MANIFEST: 'INVALID_MANIFEST' } as const;

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function operationId(body: string): string {
  return createHash('sha256').update(body, 'utf8').digest('hex');
}

/**
 * Parses and checks a manifest: `{ format, version: 1, operations: [{ id, name, type, body }] }`.
 * Every id must be the sha256 of its body (that is what clients send), every body one parseable
 * operation of the declared type, ids unique. All problems are reported, as userErrors on the
 * `manifest` argument with the JSON path of the culprit, up to 20.
 */
export function parseManifest(text: string): Result<PersistedOperation[]> {
  const errors: UserError[] = [];
  const fail = (message: string, path = 'manifest') => {
    if (errors.length < MAX_ERRORS) errors.push(userError(ManifestErrorCode.INVALID_MANIFEST, message, path === 'manifest' ? ['manifest'] : ['manifest', path]));
  };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    fail('The manifest is not valid JSON');
    return { ok: false, errors };
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    fail('The manifest must be a JSON object');
    return { ok: false, errors };
  }
  const m = json as Record<string, unknown>;
  if (m.format !== MANIFEST_FORMAT) fail(`format must be "${MANIFEST_FORMAT}"`, 'format');
  if (m.version !== 1) fail('version must be 1', 'version');
  if (!Array.isArray(m.operations)) {
    fail('operations must be an array', 'operations');
    return { ok: false, errors };
  }
  if (m.operations.length > MAX_MANIFEST_OPERATIONS) {
    fail(`a manifest holds at most ${MAX_MANIFEST_OPERATIONS} operations`, 'operations');
    return { ok: false, errors };
  }
  const seen = new Set<string>();
  const operations: PersistedOperation[] = [];
  m.operations.forEach((raw: unknown, i: number) => {
    const at = `operations[${i}]`;
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return fail('must be an object', at);
    const op = raw as Record<string, unknown>;
    if (typeof op.body !== 'string' || op.body.trim() === '') return fail('body must be a non-empty string', `${at}.body`);
    if (Buffer.byteLength(op.body) > MAX_OPERATION_BYTES) return fail(`body is larger than ${MAX_OPERATION_BYTES} bytes`, `${at}.body`);
    if (typeof op.id !== 'string' || !SHA256_HEX.test(op.id)) return fail('id must be a lower-case sha256 hex digest', `${at}.id`);
    if (op.id !== operationId(op.body)) return fail('id is not the sha256 of body', `${at}.id`);
    if (seen.has(op.id)) return fail('duplicate id', `${at}.id`);
    if (op.type !== 'query' && op.type !== 'mutation' && op.type !== 'subscription') return fail('type must be query, mutation or subscription', `${at}.type`);
    if (op.name !== undefined && op.name !== null && typeof op.name !== 'string') return fail('name must be a string', `${at}.name`);
    let definitions: OperationDefinitionNode[];
    try {
      definitions = parse(op.body, { noLocation: true, maxTokens: 10_000 }).definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    } catch (err) {
      return fail(`body does not parse: ${err instanceof GraphQLError ? err.message : 'syntax error'}`, `${at}.body`);
    }
    if (definitions.length !== 1) return fail('body must contain exactly one operation', `${at}.body`);
    if (definitions[0]!.operation !== op.type) return fail(`body is a ${definitions[0]!.operation}, not a ${op.type}`, `${at}.type`);
    seen.add(op.id);
    operations.push({ id: op.id, name: typeof op.name === 'string' ? op.name : (definitions[0]!.name?.value ?? null), type: op.type, body: op.body });
  });
  return errors.length ? { ok: false, errors } : { ok: true, value: operations };
}
