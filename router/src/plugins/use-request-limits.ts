import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { GraphQLError, parse } from 'graphql';
import { graphqlErrorResponse, type EarlyResponse, type RouterPlugin } from '../plugin.ts';
import { aliasError, depthError, directiveError, maxAliasesRule, maxDepthRule, maxDirectivesRule, maxOperationsRule, operationsError } from './query-limits.ts';

export interface RequestLimitsOptions {
  /** largest accepted request body; larger → 413 before anything is parsed */
  maxBodyBytes: number;
  /** deepest field nesting (`{ a { b } }` is 2) */
  maxDepth: number;
  /** most aliases in one operation, `__typename` aliases included */
  maxAliases: number;
  /** most directives in one operation (`@include`/`@skip` floods) */
  maxDirectives: number;
  /** most operations in one document */
  maxOperations: number;
  /** most lexical tokens in one document (bounds parser work and recursion) */
  maxTokens: number;
  /** how many accepted query texts to remember so repeated queries skip the check (default 1000) */
  cacheSize?: number;
}

export type BodyReadResult = { ok: true; body: string } | { ok: false; drained: boolean };

/**
 * Reads a request body of at most `limit` bytes. A larger body is read on and discarded up to
 * `drainLimit` bytes, so the 413 reaches the client on a healthy keep-alive connection; beyond
 * that the router stops reading and closes the connection after answering.
 */
export function readBodyLimited(req: IncomingMessage, limit: number, drainLimit = Math.max(limit * 10, 1_048_576)): Promise<BodyReadResult> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > drainLimit) return Promise.resolve({ ok: false, drained: false });
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    const done = (result: BodyReadResult) => {
      req.off('data', onData).off('end', onEnd).off('error', onError);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > drainLimit) {
        req.pause();
        done({ ok: false, drained: false });
      } else if (size > limit) {
        over = true;
        chunks.length = 0;
      } else {
        chunks.push(chunk);
      }
    };
    const onEnd = () => done(over ? { ok: false, drained: true } : { ok: true, body: Buffer.concat(chunks).toString('utf8') });
    const onError = (err: Error) => {
      req.off('data', onData).off('end', onEnd).off('error', onError);
      reject(err);
    };
    req.on('data', onData).on('end', onEnd).on('error', onError);
  });
}

/** A small insertion-ordered set that forgets its oldest entries. */
class RecentSet {
  private readonly items = new Set<string>();
  constructor(private readonly capacity: number) {}
  has(key: string): boolean {
    return this.items.has(key);
  }
  add(key: string): void {
    if (this.items.size >= this.capacity) this.items.delete(this.items.values().next().value!);
    this.items.add(key);
  }
}

function validationFailed(error: GraphQLError): EarlyResponse {
  return graphqlErrorResponse(400, 'GRAPHQL_VALIDATION_FAILED', error.message);
}

/**
 * Request limits, checked before Apollo parses or validates anything:
 * - body size: 413 while reading the body;
 * - token count, depth, aliases and directives: one bounded parse and two bounded AST walks, 400 with a
 *   GraphQL error. Accepted query texts are remembered (by hash), so a repeated query costs one
 *   sha256. The same depth/alias rules also run in Apollo's validation, which covers queries
 *   that arrive as APQ hashes.
 */
export function useRequestLimits(opts: RequestLimitsOptions): RouterPlugin {
  const accepted = new RecentSet(opts.cacheSize ?? 1000);
  return {
    name: 'request-limits',

    async onRequest(r) {
      if (r.route !== 'graphql' || r.method !== 'POST') return;
      const result = await readBodyLimited(r.req, opts.maxBodyBytes);
      if (result.ok) {
        r.body = result.body;
        return;
      }
      return graphqlErrorResponse(413, 'BAD_REQUEST', `Request body is larger than ${opts.maxBodyBytes} bytes`, result.drained ? {} : { connection: 'close' });
    },

    onParams(_r, params) {
      if (typeof params.query !== 'string' || params.query === '') return;
      const key = createHash('sha256').update(params.query).digest('base64');
      if (accepted.has(key)) return;
      let document;
      try {
        document = parse(params.query, { noLocation: true, maxTokens: opts.maxTokens });
      } catch (err) {
        // Syntax errors (and too many tokens) are answered here, as Apollo would, without a second parse.
        const message = err instanceof GraphQLError ? err.message : 'Syntax Error';
        const locations = err instanceof GraphQLError ? err.locations : undefined;
        return {
          status: 400,
          body: JSON.stringify({ errors: [{ message, ...(locations ? { locations } : {}), extensions: { code: 'GRAPHQL_PARSE_FAILED' } }] }),
          headers: { 'content-type': 'application/json; charset=utf-8' },
          errorCodes: ['GRAPHQL_PARSE_FAILED'],
        };
      }
      const error = operationsError(document, opts.maxOperations) ?? depthError(document, opts.maxDepth) ?? aliasError(document, opts.maxAliases) ?? directiveError(document, opts.maxDirectives);
      if (error) return validationFailed(error);
      accepted.add(key);
    },

    validationRules: [maxDepthRule(opts.maxDepth), maxAliasesRule(opts.maxAliases), maxDirectivesRule(opts.maxDirectives), maxOperationsRule(opts.maxOperations)],
  };
}
