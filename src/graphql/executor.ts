import { execute, getOperationAST, GraphQLError, valueFromASTUntyped, type DocumentNode, type ExecutionResult, type GraphQLSchema, type VariableDefinitionNode } from 'graphql';
import { getVariableValues } from 'graphql/execution/values';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type { ApolloServerOptionsWithGateway, BaseContext } from '@apollo/server';

type Gateway = ApolloServerOptionsWithGateway<BaseContext>['gateway'];

/** Compiled operations kept per process: front-ends send a handful of distinct operations, the explorer a few more. */
export const MAX_COMPILED_OPERATIONS = 500;

export type ExecutorKind = 'graphql-jit' | 'graphql-js';

/** How an operation runs: graphql-jit's compiled function, or graphql-js where graphql-jit cannot compile it. */
type Runner = { kind: 'jit'; compiled: CompiledQuery; variables: readonly VariableDefinitionNode[] } | { kind: 'graphql-js' };
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
 * and completes its fields, where graphql-js walks the selection for every field of every row (a 1 000-row facts page
 * is ~7 000 fields). Compiled operations are kept in an LRU keyed by document and operation name; an operation
 * graphql-jit cannot compile runs on graphql-js, with the same answer.
 */
export class OperationExecutor {
  private readonly runners = new Map<string, Runner>();
  /** Operations compiled, and those graphql-jit refused (for tests and logs). */
  compiled = 0;
  fellBack = 0;

  private readonly kind: ExecutorKind;
  private readonly maxOperations: number;

  constructor(private readonly schema: GraphQLSchema, options: { kind?: ExecutorKind; maxOperations?: number } = {}) {
    this.kind = options.kind ?? 'graphql-jit';
    this.maxOperations = options.maxOperations ?? MAX_COMPILED_OPERATIONS;
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

  /** Compiles the operation unless compiled before; says which executor will run it. */
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
    runner = this.compile(document, operationName ?? undefined);
    if (this.runners.size >= this.maxOperations) this.runners.delete(this.runners.keys().next().value!);
    this.runners.set(key, runner);
    return runner;
  }

  private compile(document: DocumentNode, operationName: string | undefined): Runner {
    try {
      const compiled = compileQuery(this.schema, document, operationName);
      if (isCompiledQuery(compiled)) {
        this.compiled++;
        return { kind: 'jit', compiled, variables: getOperationAST(document, operationName)?.variableDefinitions ?? [] };
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
          operationName: requestContext.operationName,
          variables: requestContext.request.variables,
          contextValue: requestContext.context,
        }),
      };
    },
    async stop() {},
  };
}
