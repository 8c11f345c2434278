import { registerEnumType } from 'type-graphql';
import {
  Audience,
  ImprovementDirection,
  InvolvementKind,
  MilestoneStatus,
  OrgUnitType,
  Periodicity,
  PrincipleKey,
  Role,
  ScoringType,
  WorkstreamLeadRole,
  WorkstreamStatus,
} from '../generated/prisma/enums';

/** The database enums are the API's enums: one source, so they cannot drift apart. */
registerEnumType(OrgUnitType, { name: 'OrgUnitType', description: 'Level of the organisation tree.' });
registerEnumType(PrincipleKey, { name: 'PrincipleKey', description: 'The 4Rs.' });
registerEnumType(WorkstreamStatus, { name: 'WorkstreamStatus' });
registerEnumType(WorkstreamLeadRole, { name: 'WorkstreamLeadRole' });
registerEnumType(InvolvementKind, { name: 'InvolvementKind', description: 'How people with lived experience take part.' });
registerEnumType(MilestoneStatus, { name: 'MilestoneStatus' });
registerEnumType(ScoringType, {
  name: 'ScoringType',
  description: 'How a measure pools: PROPORTION numerator ÷ denominator; RATE numerator ÷ denominator × multiplier; MEAN sum ÷ responses; COUNT numerator only.',
});
registerEnumType(ImprovementDirection, { name: 'ImprovementDirection' });
registerEnumType(Audience, { name: 'Audience', description: 'Whose experience a measure is about.' });
registerEnumType(Periodicity, { name: 'Periodicity' });
registerEnumType(Role, { name: 'Role' });

export {
  Audience,
  ImprovementDirection,
  InvolvementKind,
  MilestoneStatus,
  OrgUnitType,
  Periodicity,
  PrincipleKey,
  Role,
  ScoringType,
  WorkstreamLeadRole,
  WorkstreamStatus,
};
