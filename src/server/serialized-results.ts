/**
 * JSON already made for a response's `data` (a whole-response cache keeps it beside the object):
 * the server sends it as it is instead of serialising the same object again on every hit.
 * Keyed by the object itself, so an entry lives exactly as long as the cached response does.
 */
const serializedData = new WeakMap<object, string>();

/** Records that `json` is JSON.stringify(data); `data` must not change afterwards. */
export function rememberSerialized(data: object, json: string): void {
  serializedData.set(data, json);
}

/** A GraphQL response as JSON: the remembered JSON of its data when there is one, otherwise JSON.stringify. */
export function stringifyResult(result: { data?: unknown; errors?: unknown; extensions?: unknown }): string {
  const data = result.data;
  const json = data !== null && typeof data === 'object' && result.errors === undefined ? serializedData.get(data) : undefined;
  // Apollo passes { errors, data, extensions } (an absent one undefined); anything else is serialised as it is.
  if (json === undefined || Object.entries(result).some(([key, value]) => value !== undefined && key !== 'data' && key !== 'extensions')) return JSON.stringify(result);
  return result.extensions === undefined ? `{"data":${json}}` : `{"data":${json},"extensions":${JSON.stringify(result.extensions)}}`;
}
