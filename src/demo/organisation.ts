/**
 * The demo trust's org-unit tree, generated from data/org-units.json for any size: the trust,
 * its directorates (the four named ones, then more for benchmarks), their services, and the
 * frontline wards and teams under them. Parents always come before their children.
 */
import { ORGANISATION as ORG, type Family, type UnitFilter, type UnitSelector } from './catalogue';
import type { Random } from './random';
import type { DatasetOptions, DatasetOrgUnit, UnitKind } from './types';

/** A ward or team, with what the generators need to know about it. */
export interface FrontlineUnit {
  code: string;
  name: string;
  type: 'TEAM' | 'WARD';
  kind: UnitKind;
  beds: number;
  staff: number;
  family: Family;
  directorateCode: string;
  /** true in the first directorate of its family: the named demo wards and teams live there */
  firstOfFamily: boolean;
  /** position among units of the same kind in its directorate (0-based) */
  ordinal: number;
  opensOn: string | null;
  /** restrictive-practice pattern: FALL after the workstream starts, RISE late in the window */
  pattern: 'FALL' | 'RISE' | null;
}

export interface Organisation {
  orgUnits: DatasetOrgUnit[];
  frontline: FrontlineUnit[];
}

/** Whether a unit is one a selector in the data files picks (catalogue.ts describes them). */
export function matches(selector: UnitSelector, unit: FrontlineUnit): boolean {
  return 'anyOf' in selector ? selector.anyOf.some((f) => matchesFilter(f, unit)) : matchesFilter(selector, unit);
}

function matchesFilter(f: UnitFilter, u: FrontlineUnit): boolean {
  return (
    (f.kinds === undefined || f.kinds.includes(u.kind)) &&
    (f.exceptKinds === undefined || !f.exceptKinds.includes(u.kind)) &&
    (f.firstOfFamily === undefined || u.firstOfFamily === f.firstOfFamily) &&
    (f.ordinalBelow === undefined || u.ordinal < f.ordinalBelow)
  );
}

interface UnitSpec {
  kind: UnitKind;
  name: string;
}

const kindName = (kind: UnitKind): string => ORG.unitKinds[kind].name;

function numbered(base: string, i: number, len: number): string {
  return i < len ? base : `${base} ${Math.floor(i / len) + 1}`;
}

function inpatientSpecs(n: number, prefix: string): UnitSpec[] {
  const names = ORG.acuteWardNames;
  const specs: UnitSpec[] = [];
  const acute = n >= 3 ? n - 2 : n >= 2 ? n - 1 : n;
  for (let i = 0; i < acute; i += 1) {
    specs.push({ kind: 'ACUTE_WARD', name: `${prefix}${numbered(names[i % names.length], i, names.length)} ${kindName('ACUTE_WARD')}` });
  }
  if (n >= 3) specs.push({ kind: 'PICU', name: `${prefix}${kindName('PICU')}` });
  if (n >= 2) specs.push({ kind: 'REHAB_WARD', name: `${prefix}${kindName('REHAB_WARD')}` });
  return specs;
}

function communitySpecs(n: number, place: string, communityIndex: number): UnitSpec[] {
  const at = (kind: UnitKind): UnitSpec => ({ kind, name: `${place} ${kindName(kind)}` });
  // Open Dialogue is piloted in one community directorate in two; the other has the complex emotional needs service.
  const specials = [at('EIP'), at(communityIndex % 2 === 0 ? 'OPEN_DIALOGUE' : 'COMPLEX_EMOTIONAL'), at('COMMUNITY_REHAB')];
  const usedSpecials = specials.slice(0, Math.max(0, n - 1));
  const cmhts = n - usedSpecials.length;
  const localities = ORG.cmhtLocalities;
  const specs: UnitSpec[] = [];
  for (let i = 0; i < cmhts; i += 1) {
    const name = i < localities.length ? `${place} ${localities[i]} ${kindName('CMHT')}` : `${place} ${kindName('CMHT')} ${i + 1}`;
    specs.push({ kind: 'CMHT', name });
  }
  return [...specs, ...usedSpecials];
}

function crisisSpecs(n: number, prefix: string, firstCrisis: boolean): UnitSpec[] {
  const first = ORG.firstCrisisDirectorate;
  const places = firstCrisis ? first.homeTreatmentPlaces : [prefix.trim(), prefix.trim()];
  const here = (kind: UnitKind): UnitSpec => ({ kind, name: `${prefix}${kindName(kind)}` });
  // The first crisis directorate's crisis house and hub serve the named community places.
  const serving = (kind: UnitKind, place: string): UnitSpec => ({ kind, name: `${firstCrisis ? `${place} ` : prefix}${kindName(kind)}` });
  const specials: UnitSpec[] = [
    here('CRISIS_HUB'),
    serving('CRISIS_HOUSE', first.crisisHousePlace),
    serving('COMMUNITY_HUB', first.communityHubPlace),
    here('LIAISON'),
    here('STREET_TRIAGE'),
  ];
  const httCount = Math.max(Math.min(2, n), n - specials.length);
  const htt = kindName('HOME_TREATMENT');
  const specs: UnitSpec[] = [];
  for (let i = 0; i < httCount; i += 1) {
    const name = i < 2 ? `${places[i]} ${htt}${firstCrisis ? '' : ` ${i + 1}`}` : `${prefix}${htt} ${i + 1}`;
    specs.push({ kind: 'HOME_TREATMENT', name });
  }
  return [...specs, ...specials.slice(0, n - httCount)];
}

interface Directorate {
  code: string;
  name: string;
  family: Family;
  place: string;
}

/** The d-th directorate: a named one, or beyond them one named after a place (bench sizes). */
function directorate(d: number): Directorate {
  const named = ORG.directorates;
  const trust = ORG.trust.code;
  if (d < named.length) return { ...named[d], code: `${trust}-${named[d].code}` };
  const extra = ORG.extraDirectorates;
  const x = d - named.length;
  const place = numbered(extra.places[x % extra.places.length], x, extra.places.length);
  const family = extra.families[d % extra.families.length];
  return { code: `${trust}-D${String(d + 1).padStart(2, '0')}`, name: `${place} ${extra.names[family]}`, family, place };
}

export function buildOrganisation(options: DatasetOptions, rel: (n: number) => string, rng: Random): Organisation {
  const trust = ORG.trust;
  const orgUnits: DatasetOrgUnit[] = [{ code: trust.code, name: trust.name, type: 'TRUST', odsCode: trust.code, parentCode: null }];
  const frontline: FrontlineUnit[] = [];
  const familySeen: Record<Family, number> = { INPATIENT: 0, COMMUNITY: 0, CRISIS: 0 };
  const n = options.teamsPerDirectorate;
  const width = Math.max(2, String(n).length);

  for (let d = 0; d < options.directorates; d += 1) {
    const { code, name, family, place } = directorate(d);
    const familyIndex = familySeen[family]++;
    orgUnits.push({ code, name, type: 'DIRECTORATE', parentCode: trust.code });

    // Units named after their place outside the first directorate of a family, so names stay unique.
    const prefix = familyIndex === 0 ? '' : `${place} `;
    const specs =
      family === 'INPATIENT'
        ? inpatientSpecs(n, prefix)
        : family === 'COMMUNITY'
          ? communitySpecs(n, place, familyIndex)
          : crisisSpecs(n, prefix, familyIndex === 0);

    const services: DatasetOrgUnit[] = [];
    const units: DatasetOrgUnit[] = [];
    const perService = new Map<string, number>();
    const perKind = new Map<UnitKind, number>();
    specs.forEach((spec, i) => {
      const kind = ORG.unitKinds[spec.kind];
      const used = perService.get(kind.service) ?? 0;
      perService.set(kind.service, used + 1);
      const chunk = Math.floor(used / ORG.maxUnitsPerService);
      const serviceCode = `${code}-${kind.service}${chunk === 0 ? '' : chunk + 1}`;
      if (used % ORG.maxUnitsPerService === 0) {
        const serviceName = `${family === 'COMMUNITY' ? `${place} ` : prefix}${ORG.services[kind.service]}`;
        services.push({ code: serviceCode, name: chunk === 0 ? serviceName : `${serviceName} (group ${chunk + 1})`, type: 'SERVICE', parentCode: code });
      }
      const isWard = family === 'INPATIENT';
      const unitCode = `${code}-${isWard ? 'W' : 'T'}${String(i + 1).padStart(width, '0')}`;
      // Drawn in this order (beds only for a range, then staff) so the structure stays reproducible.
      const beds = kind.beds === undefined ? 0 : typeof kind.beds === 'number' ? kind.beds : rng.int(kind.beds[0], kind.beds[1]);
      const staff = kind.staff + rng.int(-3, 3);
      const ordinal = perKind.get(spec.kind) ?? 0;
      perKind.set(spec.kind, ordinal + 1);
      // New crisis services open during the window (seed 004: commissioning of new crisis services).
      const opensOn = kind.opensMonth === undefined ? null : rel(kind.opensMonth);
      // Two wards respond to the reducing-restrictive-practice work; one comes under pressure late on.
      const pattern = familyIndex === 0 && spec.kind === 'ACUTE_WARD' ? (ordinal < 2 ? 'FALL' : ordinal === 4 ? 'RISE' : null) : null;
      units.push({
        code: unitCode,
        name: spec.name,
        type: isWard ? 'WARD' : 'TEAM',
        parentCode: serviceCode,
        kind: spec.kind,
        ...(isWard ? { beds } : {}),
        staff,
        ...(opensOn ? { opensOn } : {}),
      });
      frontline.push({
        code: unitCode,
        name: spec.name,
        type: isWard ? 'WARD' : 'TEAM',
        kind: spec.kind,
        beds,
        staff,
        family,
        directorateCode: code,
        firstOfFamily: familyIndex === 0,
        ordinal,
        opensOn,
        pattern,
      });
    });
    orgUnits.push(...services, ...units);
  }
  return { orgUnits, frontline };
}
