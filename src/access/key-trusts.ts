/**
 * SQL: the trusts the API key aliased `key` reads, as an array of each trust's id or code in that
 * order: the key's own trust rows, or an integration key's client's units' trusts (the first
 * segment of a unit's path). Empty for a key with no rows: authenticate.ts's trustsOf says what
 * that means for its role. One definition for authentication and for `ApiKey.trustCodes`.
 */
export function keyTrustsSql(key: string, value: 'id' | 'code'): string {
  const of = (trustId: string) => (value === 'id' ? { select: trustId, join: '' } : { select: 't.code', join: ` JOIN org_unit t ON t.id = ${trustId}` });
  const own = of('kt.trust_id');
  const client = of(`split_part(su.path, '/', 2)::int`);
  return `CASE WHEN ${key}.integration_client_id IS NULL
    THEN ARRAY(SELECT ${own.select} FROM api_key_trust kt${own.join} WHERE kt.api_key_id = ${key}.id ORDER BY 1)
    ELSE ARRAY(SELECT DISTINCT ${client.select} FROM integration_client_org_unit s JOIN org_unit su ON su.id = s.org_unit_id${client.join}
               WHERE s.client_id = ${key}.integration_client_id ORDER BY 1)
  END`;
}
