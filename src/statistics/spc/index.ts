export {
  computeSpc,
  MINIMUM_POINTS,
  DEFAULT_RUN_LENGTH,
  LIMIT_FACTOR,
} from './spc';
export type {
  ImprovementDirection,
  PointType,
  VariationIcon,
  AssuranceIcon,
  SpcRule,
  SpcOptions,
  SpcPoint,
  SpcResult,
} from './spc';
