import {
  execute, getOperationAST, getVariableValues, GraphQLError, valueFromASTUntyped, type DocumentNode, type ExecutionResult, type GraphQLSchema, type VariableDefinitionNode,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type { ApolloServerOptionsWithGateway, BaseContext } from '@apollo/server';

type Gateway = ApolloServerOptionsWithGateway<BaseContext>['gateway'];

/**
 * Bounds of the compiled operations kept per process. A compiled operation holds generated code in the heap, about
 * 130 bytes per character of its query; front-ends send a handful of distinct operations, so these bounds hold all of
 * theirs and cap a client sending many distinct documents at ~15 MB.
 */
export const MAX_COMPILED_OPERATIONS = 200;
export const MAX_COMPILED_QUERY_CHARS = 100_000;
/** Operations seen once, remembered (by key only) to be compiled when seen again. */
const MAX_SEEN_ONCE = 2_000;

export type ExecutorKind = 'graphql-jit' | 'graphql-js';

/** How an operation runs: graphql-jit's compiled function, or graphql-js where graphql-jit cannot compile it. */
type Runner = { kind: 'jit'; compiled: CompiledQuery; variables: readonly VariableDefinitionNode[]; chars: number } | { kind: 'graphql-js' };
const GRAPHQL_JS: Runner = { kind: 'graphql-js' };

export interface OperationRequest {
  document: DocumentNode;
  /** Identifies the document (Apollo's queryHash: a hash of the query text). */
  documentKey: string;
  operationName: string | null | undefined;
  variables: Record<string, unknown> | undefined;
  contextValue: unknown;
}

/**
 * Executes validated operations with graphql-jit: it compiles an operation once into one function that resolves
 * and completes its fields, where graphql-js walks the selection for every field of every row (a 960-row facts page
 * is ~6 000 fields). An operation is compiled when it is seen the second time (compiling costs more than running a
 * one-off query once) and kept in an LRU keyed by document and operation name; before that, and where graphql-jit
 * cannot compile it, graphql-js runs it, with the same answer.
 */
export class OperationExecutor {
  private readonly runners = new Map<string, Runner>();
  private readonly seenOnce = new Set<string>();
  private compiledChars = 0;
  /** Operations graphql-jit refused to compile (graphql-js runs them; the executor test counts them). */
  fellBack = 0;

  private readonly kind: ExecutorKind;

  constructor(private readonly schema: GraphQLSchema, options: { kind?: ExecutorKind } = {}) {
    this.kind = options.kind ?? 'graphql-jit';
  }

  execute(request: OperationRequest): Promise<ExecutionResult> | ExecutionResult {
    const runner = this.runner(request);
    if (runner.kind === 'jit') {
      let variables = request.variables ?? {};
      if (runner.variables.length) {
        // Variables are checked by graphql-js, as execute does (the same errors, which Apollo answers with 400):
        // graphql-jit's own check refuses a non-null variable left out despite its default. It gets the defaults filled in.
        const coerced = getVariableValues(this.schema, runner.variables, variables, { maxErrors: 50 });
        if (coerced.errors) return { errors: coerced.errors };
        variables = withDefaults(runner.variables, variables);
      }
      const result = runner.compiled.query(undefined, request.contextValue, variables);
      return result instanceof Promise ? result.then(asGraphqlJsResult) : asGraphqlJsResult(result);
    }
    return execute({ schema: this.schema, document: request.document, operationName: request.operationName, variableValues: request.variables, contextValue: request.contextValue });
  }

  /** Which executor runs the operation this time (compiling it when seen before). */
  prepare(request: Omit<OperationRequest, 'variables' | 'contextValue'>): ExecutorKind {
    return this.runner(request).kind === 'jit' ? 'graphql-jit' : 'graphql-js';
  }

  private runner({ document, documentKey, operationName }: Omit<OperationRequest, 'variables' | 'contextValue'>): Runner {
    if (this.kind === 'graphql-js') return GRAPHQL_JS;
    const key = `${operationName ?? ''}\n${documentKey}`;
    let runner = this.runners.get(key);
    if (runner) {
      // Least recently used first: a hit moves to the end.
      this.runners.delete(key);
      this.runners.set(key, runner);
      return runner;
    }
    if (!this.seenOnce.delete(key)) {
      if (this.seenOnce.size >= MAX_SEEN_ONCE) this.seenOnce.delete(this.seenOnce.values().next().value!);
      this.seenOnce.add(key);
      return GRAPHQL_JS;
    }
    runner = this.compile(document, operationName ?? undefined);
    const chars = runner.kind === 'jit' ? runner.chars : 0;
    while (this.runners.size && (this.runners.size >= MAX_COMPILED_OPERATIONS || this.compiledChars + chars > MAX_COMPILED_QUERY_CHARS)) {
      const [oldest, evicted] = this.runners.entries().next().value!;
      this.runners.delete(oldest);
      if (evicted.kind === 'jit') this.compiledChars -= evicted.chars;
    }
    this.runners.set(key, runner);
    this.compiledChars += chars;
    return runner;
  }

  private compile(document: DocumentNode, operationName: string | undefined): Runner {
    try {
      const compiled = compileQuery(this.schema, document, operationName);
      if (isCompiledQuery(compiled)) {
        return { kind: 'jit', compiled, variables: getOperationAST(document, operationName)?.variableDefinitions ?? [], chars: document.loc?.end ?? 0 };
      }
    } catch {
      // graphql-jit throws on a few constructs it does not support; graphql-js runs those.
    }
    this.fellBack++;
    return GRAPHQL_JS;
  }
}

/** The client's variables, with each left-out variable's default as the client would have written it. */
function withDefaults(definitions: readonly VariableDefinitionNode[], given: Record<string, unknown>): Record<string, unknown> {
  let filled: Record<string, unknown> | null = null;
  for (const { variable, defaultValue } of definitions) {
    if (defaultValue && !Object.prototype.hasOwnProperty.call(given, variable.name.value)) {
      (filled ??= { ...given })[variable.name.value] = valueFromASTUntyped(defaultValue);
    }
  }
  return filled ?? given;
}

/**
 * graphql-jit's errors imitate graphql-js's without its constructor: no `extensions` unless the thrown error had
 * some, which Apollo's error formatting reads. Rebuilt as graphql-js errors, they carry the same message, locations,
 * path, original error and extensions as graphql-js would give.
 */
function asGraphqlJsResult(result: ExecutionResult): ExecutionResult {
  if (!result.errors?.length) return result;
  return {
    ...result,
    errors: result.errors.map((error) => {
      const rebuilt = new GraphQLError(error.message, { path: error.path, originalError: error.originalError, extensions: error.extensions });
      (rebuilt as { locations: GraphQLError['locations'] }).locations = error.locations;
      return rebuilt;
    }),
  };
}

/**
 * Apollo Server 5 has no executor option, but a gateway supplies one: this "gateway" serves the app's own schema and
 * runs operations through `executor`, so every plugin (limits, cache policy, response cache, headers) still runs.
 */
export function executorGateway(schema: GraphQLSchema, executor: OperationExecutor): Gateway {
  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => undefined;
    },
    async load() {
      return {
        executor: async (requestContext) => executor.execute({
          document: requestContext.document,
          documentKey: requestContext.queryHash,
          // The client's operation name (Apollo's resolved one is null when the document has no such operation).
          operationName: requestContext.request.operationName,
          variables: requestContext.request.variables,
          contextValue: requestContext.context,
        }),
      };
    },
    async stop() {},
  };
}
