/** Data volumes per scale: leads, and anonymous respondents that make up the bulk of answer lines. */

export type DemoScale = 'tiny' | 'small' | 'medium' | 'large';

export type ScaleVolumes = {
  leads: number;
  /** Respondents of the entry survey not linked to any lead (about 14 answer lines each). */
  anonymousRespondents: number;
};

// Lead respondents give about 6.5 lines per lead on average (not every lead answered), anonymous
// ones about 14: tiny ≈ 1k lines, small ≈ 20k, medium ≈ 500k, large ≈ 5M.
export const scaleVolumes: Record<DemoScale, ScaleVolumes> = {
  tiny: { leads: 40, anonymousRespondents: 50 },
  small: { leads: 500, anonymousRespondents: 1_200 },
  medium: { leads: 5_000, anonymousRespondents: 33_000 },
  large: { leads: 50_000, anonymousRespondents: 330_000 },
};

export function isDemoScale(value: unknown): value is DemoScale {
  return typeof value === 'string' && value in scaleVolumes;
}
