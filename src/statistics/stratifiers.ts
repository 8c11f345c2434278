/**
 * The stratifiers a measure may be reported by (the equality lens, PCREF), as data: each has
 * its codes, each code its label and, where the stratifier groups its codes, its group.
 * Codes that say the characteristic was not recorded (`notKnown`) count in every sum like any
 * other (so strata add up to the whole population) and are reported as a data-quality share.
 * Pure: no I/O.
 *
 * Sources: ETHNICITY is the NHS Data Dictionary's Ethnic Category (the 2001 census
 * categories, as MHSDS carries them), grouped into its five broad groups; SEX is the NHS Data
 * Dictionary's Person Stated Gender Code; AGE_BAND and LEGAL_STATUS are this project's
 * (the bands of NHS mental-health reporting; detained under the Mental Health Act or not).
 */
export type StratifierKey = 'ETHNICITY' | 'SEX' | 'AGE_BAND' | 'LEGAL_STATUS';

export interface StratumDefinition {
  code: string;
  label: string;
  /** the broad group it pools into (ETHNICITY), or null */
  group: string | null;
  /** not stated or not known: a data-quality figure, never a reference stratum */
  notKnown: boolean;
}

export interface StratifierDefinition {
  key: StratifierKey;
  name: string;
  strata: readonly StratumDefinition[];
  /** the broad groups, in order, with their labels (empty when the stratifier has none) */
  groups: ReadonlyArray<{ code: string; label: string }>;
  /** the usual reference stratum for ratios */
  defaultReference: string;
}

const stratum = (code: string, label: string, group: string | null = null, notKnown = false): StratumDefinition => ({ code, label, group, notKnown });

export const STRATIFIERS: Readonly<Record<StratifierKey, StratifierDefinition>> = {
  ETHNICITY: {
    key: 'ETHNICITY',
    name: 'Ethnic category',
    strata: [
      stratum('A', 'White: British', 'WHITE'),
      stratum('B', 'White: Irish', 'WHITE'),
      stratum('C', 'White: any other White background', 'WHITE'),
      stratum('D', 'Mixed: White and Black Caribbean', 'MIXED'),
      stratum('E', 'Mixed: White and Black African', 'MIXED'),
      stratum('F', 'Mixed: White and Asian', 'MIXED'),
      stratum('G', 'Mixed: any other mixed background', 'MIXED'),
      stratum('H', 'Asian or Asian British: Indian', 'ASIAN'),
      stratum('J', 'Asian or Asian British: Pakistani', 'ASIAN'),
      stratum('K', 'Asian or Asian British: Bangladeshi', 'ASIAN'),
      stratum('L', 'Asian or Asian British: any other Asian background', 'ASIAN'),
      stratum('M', 'Black or Black British: Caribbean', 'BLACK'),
      stratum('N', 'Black or Black British: African', 'BLACK'),
      stratum('P', 'Black or Black British: any other Black background', 'BLACK'),
      stratum('R', 'Other ethnic groups: Chinese', 'OTHER'),
      stratum('S', 'Other ethnic groups: any other ethnic group', 'OTHER'),
      stratum('Z', 'Not stated', null, true),
      stratum('99', 'Not known', null, true),
    ],
    groups: [
      { code: 'WHITE', label: 'White' },
      { code: 'MIXED', label: 'Mixed or multiple ethnic groups' },
      { code: 'ASIAN', label: 'Asian or Asian British' },
      { code: 'BLACK', label: 'Black or Black British' },
      { code: 'OTHER', label: 'Other ethnic groups' },
    ],
    defaultReference: 'A',
  },
  SEX: {
    key: 'SEX',
    name: 'Stated gender',
    strata: [stratum('1', 'Male'), stratum('2', 'Female'), stratum('9', 'Indeterminate'), stratum('X', 'Not known', null, true)],
    groups: [],
    defaultReference: '2',
  },
  AGE_BAND: {
    key: 'AGE_BAND',
    name: 'Age band',
    strata: [
      stratum('0-17', 'Under 18'),
      stratum('18-24', '18 to 24'),
      stratum('25-34', '25 to 34'),
      stratum('35-44', '35 to 44'),
      stratum('45-54', '45 to 54'),
      stratum('55-64', '55 to 64'),
      stratum('65+', '65 and over'),
      stratum('UNKNOWN', 'Not known', null, true),
    ],
    groups: [],
    defaultReference: '25-34',
  },
  LEGAL_STATUS: {
    key: 'LEGAL_STATUS',
    name: 'Legal status',
    strata: [stratum('DETAINED', 'Detained under the Mental Health Act'), stratum('INFORMAL', 'Informal'), stratum('UNKNOWN', 'Not known', null, true)],
    groups: [],
    defaultReference: 'INFORMAL',
  },
};

export const STRATIFIER_KEYS = Object.keys(STRATIFIERS) as StratifierKey[];

export function isStratifierKey(key: string): key is StratifierKey {
  return Object.prototype.hasOwnProperty.call(STRATIFIERS, key);
}

/** The definition of a stratum, or null when the stratifier has no such code. */
export function stratumOf(stratifier: StratifierKey, code: string): StratumDefinition | null {
  return STRATIFIERS[stratifier].strata.find((s) => s.code === code) ?? null;
}
