import { readFileSync } from 'node:fs';
import ajvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';

/**
 * Validates a log against the SARIF 2.1.0 JSON schema vendored in test/fixtures/sarif (see its
 * README for where it comes from). The schema is draft-04, hence Ajv's draft-04 class; formats
 * (uri, uri-reference, date-time) are checked too, so a badly encoded artifact URI fails.
 */
const schema = JSON.parse(readFileSync(new URL('../../fixtures/sarif/sarif-2.1.0-rtm.5.json', import.meta.url), 'utf8'));
// unicodeRegExp off: the schema's `language` pattern (`...-[a-zA-Z]{2}]?$`) has a stray `]` that
// JavaScript accepts as a literal only without the `u` flag; it is the published schema, kept as is.
// Both are CommonJS modules that also export themselves as `default`; that is the typed handle.
const ajv = new ajvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false });
ajvFormats.default(ajv);
const validate = ajv.compile(schema);

/** The schema's complaints, one line each (empty when the log is valid). */
export function sarifSchemaErrors(log: unknown): string[] {
  if (validate(log)) return [];
  return (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''} ${JSON.stringify(error.params)}`);
}
