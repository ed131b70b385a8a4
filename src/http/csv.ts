/**
 * `GET /csv/<shape>?…`: a table-shaped answer as a CSV file that Excel and Power BI open straight from the URL.
 *
 * Each shape runs one fixed query operation (csv-tables.ts) through the server's GraphQL execution, so the figures,
 * the operation limits, the response cache and the errors are the API's own. The parameters are that operation's
 * variables under the field's argument names: scalars as plain text (`year=2024`, `needCorrected=true`), lists of
 * names comma-separated or as JSON (`highlight=Bærum,Asker`), input objects and their lists as JSON
 * (`columns=[{"subject":{"municipality":"Bærum"},"year":2024}]`). Options: `decimal=comma`, `sep=;` (or `,`, `tab`),
 * `bom=1`. The file is the header row and the table, then one empty row and note rows: the metric and its unit,
 * why cells are empty, the source and licence, the data version, and the demo notice when the data is demo data.
 */
import type { NextFunction, Request, Response } from 'express';
import { getVariableValues, Kind, parse, validate, type DocumentNode, type GraphQLFormattedError, type GraphQLSchema, type TypeNode, type VariableDefinitionNode } from 'graphql';
import { csvText, type CsvFormat } from './csv-format';
import { CSV_SHAPES, type CsvShape } from './csv-tables';
import { etagMatches, ifNoneMatchProblem, operationEtag, sharedCacheable } from './etag';

export const SOURCE_NOTE = 'Kilde: Statistisk sentralbyrå (SSB), lisens CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)';
export const LICENSE_URL = 'https://creativecommons.org/licenses/by/4.0/';
/** Far above any real argument (the GraphQL limits refuse strings over 1000 characters anyway). */
export const MAX_PARAMETER_LENGTH = 8000;
const FORMAT_OPTIONS: Record<string, readonly string[]> = { decimal: ['point', 'comma'], sep: [',', ';', 'tab'], bom: ['0', '1'] };
const CLIENT_ERROR_CODES = new Set(['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED', 'QUERY_TOO_COMPLEX', 'QUERY_TOO_DEEP', 'BAD_REQUEST', 'PERSISTED_QUERY_NOT_FOUND']);

export interface CsvExecution {
  data?: Record<string, unknown> | null;
  errors?: readonly GraphQLFormattedError[];
  /** extensions.warehouse of the answer. */
  warehouse?: { version: number; demo: boolean; notice?: string };
  /** The answer's Cache-Control, as the API computed it. */
  cacheControl?: string;
}

export type CsvExecutor = (document: DocumentNode, variables: Record<string, unknown>) => Promise<CsvExecution>;

class CsvRequestError extends Error {
  constructor(message: string, readonly status = 400) { super(message); }
}

interface PreparedShape extends CsvShape {
  parsed: DocumentNode;
  variableDefinitions: readonly VariableDefinitionNode[];
  variables: Map<string, VariableDefinitionNode>;
}

/** Parses and validates every shape's operation against the schema once, so a renamed field fails at start. */
export function prepareShapes(schema: GraphQLSchema): Map<string, PreparedShape> {
  const shapes = new Map<string, PreparedShape>();
  for (const shape of CSV_SHAPES) {
    const parsed = parse(shape.document);
    const problems = validate(schema, parsed);
    if (problems.length) throw new Error(`CSV shape ${shape.name}: its operation does not fit the schema: ${problems.map((p) => p.message).join('; ')}`);
    const operation = parsed.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
    const variableDefinitions = operation?.variableDefinitions ?? [];
    shapes.set(shape.name, { ...shape, parsed, variableDefinitions, variables: new Map(variableDefinitions.map((v) => [v.variable.name.value, v])) });
  }
  return shapes;
}

const typeText = (type: TypeNode): string =>
  type.kind === Kind.NON_NULL_TYPE ? `${typeText(type.type)}!` : type.kind === Kind.LIST_TYPE ? `[${typeText(type.type)}]` : type.name.value;
const namedType = (type: TypeNode): string => (type.kind === Kind.NAMED_TYPE ? type.name.value : namedType(type.type));
const SCALARS = new Set(['String', 'ID', 'Int', 'Float', 'Boolean']);

function scalarValue(name: string, type: string, text: string): unknown {
  switch (type) {
    case 'Int':
      if (!/^-?\d{1,9}$/.test(text.trim())) throw new CsvRequestError(`${name}: "${text}" is not a whole number`);
      return Number(text);
    case 'Float':
      if (text.trim() === '' || !Number.isFinite(Number(text))) throw new CsvRequestError(`${name}: "${text}" is not a number`);
      return Number(text);
    case 'Boolean':
      if (text !== 'true' && text !== 'false') throw new CsvRequestError(`${name}: "${text}" must be true or false`);
      return text === 'true';
    default:
      return text;
  }
}

function jsonValue(name: string, type: TypeNode, text: string, example: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new CsvRequestError(`${name}: not valid JSON (${(e as Error).message}); give a ${typeText(type)} as JSON, as in ${example}`);
  }
}

/** The variables of a shape's operation from the URL's parameters, each checked against the variable's type. */
export function variablesFrom(shape: PreparedShape, query: Record<string, unknown>): { variables: Record<string, unknown>; options: Record<string, string>; format: CsvFormat } {
  const options: Record<string, string> = {};
  const variables: Record<string, unknown> = { ...shape.defaults };
  const optionSpecs = { ...FORMAT_OPTIONS, ...shape.options };
  const allowed = [...shape.variables.keys(), ...Object.keys(optionSpecs)];
  for (const [name, raw] of Object.entries(query)) {
    if (Array.isArray(raw)) throw new CsvRequestError(`${name} is given ${raw.length} times; give it once`);
    if (typeof raw !== 'string') throw new CsvRequestError(`${name}: give it as name=value`);
    if (raw.length > MAX_PARAMETER_LENGTH) throw new CsvRequestError(`${name} is ${raw.length} characters long; at most ${MAX_PARAMETER_LENGTH} are allowed`);
    const spec = optionSpecs[name];
    if (spec) {
      if (!spec.includes(raw)) throw new CsvRequestError(`${name}=${raw} is not allowed; use one of ${spec.map((v) => `${name}=${v}`).join(', ')}`);
      options[name] = raw;
      continue;
    }
    const definition = shape.variables.get(name);
    if (!definition) throw new CsvRequestError(`unknown parameter ${JSON.stringify(name.slice(0, 60))} for /csv/${shape.name}; allowed: ${allowed.join(', ')}`);
    const type = definition.type.kind === Kind.NON_NULL_TYPE ? definition.type.type : definition.type;
    if (type.kind === Kind.NAMED_TYPE) {
      variables[name] = SCALARS.has(type.name.value) ? scalarValue(name, type.name.value, raw) : jsonValue(name, type, raw, shape.example);
    } else if (raw.trimStart().startsWith('[') || !SCALARS.has(namedType(type))) {
      variables[name] = jsonValue(name, type, raw, shape.example);
    } else {
      // A list of names or numbers, comma-separated: highlight=Bærum,Asker.
      variables[name] = raw.split(',').map((item) => scalarValue(name, namedType(type), item.trim()));
    }
  }
  const missing = [...shape.variables.values()]
    .filter((d) => d.type.kind === Kind.NON_NULL_TYPE && !d.defaultValue && variables[d.variable.name.value] === undefined)
    .map((d) => `${d.variable.name.value} (${typeText(d.type)})`);
  if (missing.length) throw new CsvRequestError(`/csv/${shape.name} needs ${missing.join(', ')}; e.g. ${shape.example}`);
  for (const [name, spec] of Object.entries(optionSpecs)) options[name] ??= spec[0];
  const decimalComma = options.decimal === 'comma';
  // A decimal comma next to comma separators would need every number quoted; Norwegian Excel expects `;` anyway.
  const separator = query.sep === undefined ? (decimalComma ? ';' : ',') : options.sep === 'tab' ? '\t' : options.sep as ',' | ';';
  return { variables, options, format: { separator, decimalComma, bom: options.bom === '1' } };
}

function fail(res: Response, status: number, message: string): void {
  res.status(status).type('text/plain; charset=utf-8').send(`${message}\n`);
}

export interface CsvRouteOptions {
  schema: GraphQLSchema;
  execute: CsvExecutor;
}

/** The handler for GET /csv/:shape. */
export function csvHandler(options: CsvRouteOptions) {
  const shapes = prepareShapes(options.schema);
  const names = [...shapes.keys()];
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    try {
      const shape = shapes.get(String(req.params.shape));
      if (!shape) return fail(res, 404, `no CSV table ${JSON.stringify(String(req.params.shape).slice(0, 60))}; the tables are ${names.map((n) => `/csv/${n}`).join(', ')}`);
      const inm = req.headers['if-none-match'];
      const inmProblem = inm === undefined ? null : ifNoneMatchProblem(inm);
      if (inmProblem) return fail(res, 400, inmProblem);
      const { variables, options: shapeOptions, format } = variablesFrom(shape, req.query);
      // The variables' types checked here, with GraphQL's own messages ("Field "year" of required type "Int!" was
      // not provided"), before anything else reads them.
      const coerced = getVariableValues(options.schema, shape.variableDefinitions, variables, { maxErrors: 5 });
      if (coerced.errors) return fail(res, 400, coerced.errors.map((e) => e.message).join('\n'));
      const result = await options.execute(shape.parsed, variables);
      if (result.errors?.length || !result.data) {
        const codes = (result.errors ?? []).map((e) => e.extensions?.code);
        const status = codes.length && codes.every((c) => typeof c === 'string' && CLIENT_ERROR_CODES.has(c)) ? 400 : 500;
        return fail(res, status, `no CSV: ${(result.errors ?? []).map((e) => e.message).join('; ') || 'the query gave no data'}`);
      }
      const table = shape.toTable(result.data, shapeOptions);
      const warehouse = result.warehouse;
      table.notes.push(`${SOURCE_NOTE}. Bearbeidet av kostra-warehouse${warehouse ? `, dataversjon ${warehouse.version}` : ''}.`);
      if (warehouse?.demo && warehouse.notice) table.notes.push(warehouse.notice);
      res.set({
        'Content-Type': 'text/csv; charset=utf-8; header=present',
        'Content-Disposition': `attachment; filename="kostra-${shape.name}${warehouse ? `-v${warehouse.version}` : ''}.csv"`,
        'Link': `<${LICENSE_URL}>; rel="license"`,
        'X-Content-Type-Options': 'nosniff',
      });
      if (warehouse) res.set('x-warehouse-version', String(warehouse.version));
      if (result.cacheControl) res.set('Cache-Control', result.cacheControl);
      if (warehouse && sharedCacheable(result.cacheControl)) {
        // The file is a function of the version, the table and its parameters; the query string is kept as sent
        // (parameter order included), which can only cost a cache miss, never a wrong match.
        const etag = operationEtag(warehouse.version, ['csv', shape.name, req.originalUrl.split('?')[1] ?? '']);
        res.set('ETag', etag);
        if (etagMatches(inm, etag)) {
          res.status(304).end();
          return;
        }
      }
      res.send(csvText(table, format));
    } catch (error) {
      if (error instanceof CsvRequestError) return fail(res, error.status, error.message);
      next(error);
    }
  };
}
