#!/usr/bin/env node
// Offline Neo4j 5 validity check of Cypher statements, with Neo4j's own Cypher front end
// (the npm package @neo4j-cypher/language-support: the ANTLR grammar plus Neo4j's semantic
// analysis compiled to JavaScript).
//
// stdin:  a JSON array of {"name": string, "text": string}
// stdout: a JSON array of {"name", "errors": [{message, line, column}], "warnings": [...]}
//         in input order; line and column are 1-based.
// stderr: one timing line (start-up and lint time, in milliseconds).
// Exit code 0 whenever the input could be read, even when statements have errors: the caller
// decides what fails. Exit code 2 on unreadable input.
//
// Functions and procedures are checked against the package's exported Neo4j schema
// (testData.mockSchema), so a misspelt or unknown function or procedure is an error. Labels,
// relationship types and property keys are deliberately not given: the statements are checked
// against the language, not against the contents of some database. Parameters are never
// declared, so "Parameter $x is not defined." diagnostics are dropped.
//
// The mock schema describes a server with the APOC and GDS plugins installed; the project's
// Neo4j (docker-compose.yml: plain neo4j:5 community) has neither, so apoc.* and gds.* functions
// and procedures are removed from it and using one is an error. Pass --allow-plugins to keep them.

const t0 = performance.now();
const { lintCypherQuery, isNotParamError, testData } = await import(
  '@neo4j-cypher/language-support'
);
const startupMs = performance.now() - t0;

// DiagnosticSeverity of the Language Server Protocol.
const SEVERITY_ERROR = 1;
const SEVERITY_WARNING = 2;

const CYPHER_VERSION = process.env.CYPHER_LINT_VERSION ?? 'CYPHER 5';

const ALLOW_PLUGINS = process.argv.includes('--allow-plugins');
const PLUGIN_PREFIXES = ['apoc.', 'gds.'];

function withoutPlugins(scoped) {
  if (ALLOW_PLUGINS) return scoped;
  const out = {};
  for (const [version, registry] of Object.entries(scoped ?? {})) {
    out[version] = Object.fromEntries(
      Object.entries(registry).filter(
        ([name]) => !PLUGIN_PREFIXES.some((prefix) => name.toLowerCase().startsWith(prefix)),
      ),
    );
  }
  return out;
}

const schema = {
  functions: withoutPlugins(testData.mockSchema.functions),
  procedures: withoutPlugins(testData.mockSchema.procedures),
  defaultLanguage: CYPHER_VERSION,
};

function readStdin() {
  return new Promise((resolve, reject) => {
    const chunks = [];
    process.stdin.on('data', (c) => chunks.push(c));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', reject);
  });
}

function toEntry(d) {
  const start = d.range?.start ?? { line: 0, character: 0 };
  return { message: d.message, line: start.line + 1, column: start.character + 1 };
}

function lintOne(text) {
  const errors = [];
  const warnings = [];
  if (typeof text !== 'string' || text.trim() === '') {
    errors.push({ message: 'empty statement', line: 1, column: 1 });
    return { errors, warnings };
  }
  let diagnostics;
  try {
    ({ diagnostics } = lintCypherQuery(text, schema, { consoleCommandsEnabled: false }));
  } catch (err) {
    errors.push({ message: `linter crashed: ${err?.message ?? err}`, line: 1, column: 1 });
    return { errors, warnings };
  }
  for (const d of diagnostics.filter(isNotParamError)) {
    // A diagnostic without a severity is an error (LSP default is left to the client; be strict).
    const severity = d.severity ?? SEVERITY_ERROR;
    if (severity === SEVERITY_ERROR) errors.push(toEntry(d));
    else if (severity === SEVERITY_WARNING) warnings.push(toEntry(d));
  }
  return { errors, warnings };
}

// The first analysis initialises Neo4j's semantic analyser (about as long as the import):
// do it here so that it counts as start-up and the lint figure is the steady-state cost.
lintCypherQuery('RETURN 1', schema, { consoleCommandsEnabled: false });
const warmMs = performance.now() - t0;

let input;
try {
  input = JSON.parse(await readStdin());
  if (!Array.isArray(input)) throw new Error('expected a JSON array of {name, text}');
} catch (err) {
  process.stderr.write(`cypher-lint: bad input: ${err.message}\n`);
  process.exit(2);
}

const t1 = performance.now();
const results = input.map(({ name, text }) => ({ name, ...lintOne(text) }));
const lintMs = performance.now() - t1;

process.stdout.write(JSON.stringify(results));
process.stdout.write('\n');
const per = input.length ? lintMs / input.length : 0;
process.stderr.write(
  `cypher-lint: ${CYPHER_VERSION}, ${input.length} statements, start-up ${warmMs.toFixed(0)} ms (import ${startupMs.toFixed(0)} ms), ` +
    `lint ${lintMs.toFixed(0)} ms (${per.toFixed(1)} ms/statement)\n`,
);
