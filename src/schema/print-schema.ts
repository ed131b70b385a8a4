import fs from 'node:fs';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { buildAppSchema, SCHEMA_FILE } from './build-schema';

/** The SDL as committed in schema/schema.graphql: sorted, so the file only changes when the schema does. */
export async function printAppSchema(): Promise<string> {
  const header = '# Generated from the type-graphql resolvers by `npm run schema`. Do not edit by hand: a test fails when it is stale.\n\n';
  return header + printSchema(lexicographicSortSchema(await buildAppSchema())) + '\n';
}

if (require.main === module) {
  printAppSchema().then((sdl) => {
    fs.writeFileSync(SCHEMA_FILE(), sdl);
    process.stdout.write(`wrote ${SCHEMA_FILE()}\n`);
  }, (error) => {
    process.stderr.write(`${(error as Error).stack}\n`);
    process.exitCode = 1;
  });
}
