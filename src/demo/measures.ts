/**
 * The measures of a dataset: the catalogue (data/measures.json) paired with the models that
 * produce its numbers (measure-models.ts), then, beyond the catalogue, numbered benchmark
 * variants (CARE-MEAN-V2, ...) that share a model but not its numbers.
 */
import { MEASURES, type MeasureEntry } from './catalogue';
import { MODELS, type Model } from './measure-models';
import type { FrontlineUnit } from './organisation';
import type { DatasetMeasure } from './types';
import { STRATIFIED_MEASURES } from './strata';

export interface MeasureSpec extends DatasetMeasure {
  recordedAt?: MeasureEntry['recordedAt'];
  model: Model;
}

for (const m of MEASURES) if (!(m.code in MODELS)) throw new Error(`Demo data: measure ${m.code} has no model in measure-models.ts`);
for (const code of Object.keys(MODELS)) {
  if (!MEASURES.some((m) => m.code === code)) throw new Error(`Demo data: measure-models.ts models ${code}, which data/measures.json does not define`);
}

export const CATALOGUE_SIZE = MEASURES.length;

/** The plain definition, without the model that generates its numbers. */
export function toMeasure(spec: DatasetMeasure): DatasetMeasure {
  const { code, name, description, scoringType, improvementDirection, multiplier, unit, audience, numeratorLabel, denominatorLabel, ownerKey, principles, workstreamCodes, trustTarget, appliesTo } = spec;
  const stratifiers = STRATIFIED_MEASURES[code];
  return {
    code, name, description, scoringType, improvementDirection, multiplier, unit, audience, numeratorLabel, denominatorLabel, ownerKey,
    principles: [...principles], workstreamCodes: [...workstreamCodes], trustTarget, appliesTo,
    ...(stratifiers ? { stratifiers: [...stratifiers] } : {}),
  };
}

function catalogueSpec(entry: MeasureEntry): MeasureSpec {
  return { ...toMeasure(entry), ...(entry.recordedAt ? { recordedAt: entry.recordedAt } : {}), model: MODELS[entry.code] };
}

/** The first `count` measures: the catalogue, then numbered variants (CARE-MEAN-V2, …) for benchmarks. */
export function selectMeasures(count: number): MeasureSpec[] {
  const catalogue = MEASURES.map(catalogueSpec);
  const out: MeasureSpec[] = [];
  for (let i = 0; i < count; i += 1) {
    const base = catalogue[i % catalogue.length];
    const variant = Math.floor(i / catalogue.length) + 1;
    out.push(
      variant === 1
        ? base
        : {
            ...base,
            code: `${base.code}-V${variant}`,
            name: `${base.name} (variant ${variant})`,
            description: `Benchmark variant ${variant} of ${base.code}. ${base.description}`,
          },
    );
  }
  return out;
}

/** Whether a measure narrower than its appliesTo (recordedAt in the data) is recorded at a unit. */
export function isRecordedAt(spec: MeasureSpec, unit: FrontlineUnit, joined: (workstreamCode: string) => number | null): boolean {
  const at = spec.recordedAt;
  return !at || at.kinds.includes(unit.kind) || (at.orMembersOf !== undefined && joined(at.orMembersOf) !== null);
}
