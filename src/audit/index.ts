import type { Feature } from '../server/feature';
import { AUDIT_EVENT_NODE, AuditEventResolver, HISTORY_RESOLVERS } from './audit-event.resolver';

/** Reading the audit log: `auditEvents` and `history` on every audited type. */
export const auditFeature: Feature = { name: 'audit', resolvers: [AuditEventResolver, ...HISTORY_RESOLVERS], nodeTypes: [AUDIT_EVENT_NODE] };
