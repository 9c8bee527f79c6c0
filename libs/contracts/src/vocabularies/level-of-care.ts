/**
 * ASAM levels of care (3rd-edition numbering). The codes are the wire values; names are for readers.
 * New codes (e.g. 4th-edition sub-levels) are an additive change: add them here and give them a rank.
 */
export enum LevelOfCare {
  EarlyIntervention = '0.5',
  Outpatient = '1',
  IntensiveOutpatient = '2.1',
  PartialHospitalization = '2.5',
  ClinicallyManagedLowIntensityResidential = '3.1',
  ClinicallyManagedPopulationSpecificResidential = '3.3',
  ClinicallyManagedHighIntensityResidential = '3.5',
  MedicallyMonitoredIntensiveInpatient = '3.7',
  MedicallyManagedIntensiveInpatient = '4',
}

/** Intensity order, so "step down" and "step up" can be checked without parsing the codes as numbers. */
export const LEVEL_OF_CARE_RANK: Readonly<Record<LevelOfCare, number>> = {
  [LevelOfCare.EarlyIntervention]: 0,
  [LevelOfCare.Outpatient]: 1,
  [LevelOfCare.IntensiveOutpatient]: 2,
  [LevelOfCare.PartialHospitalization]: 3,
  [LevelOfCare.ClinicallyManagedLowIntensityResidential]: 4,
  [LevelOfCare.ClinicallyManagedPopulationSpecificResidential]: 5,
  [LevelOfCare.ClinicallyManagedHighIntensityResidential]: 6,
  [LevelOfCare.MedicallyMonitoredIntensiveInpatient]: 7,
  [LevelOfCare.MedicallyManagedIntensiveInpatient]: 8,
};

/** Negative when `a` is less intensive than `b`, zero when equal, positive when more intensive. */
export function compareLevelsOfCare(a: LevelOfCare, b: LevelOfCare): number {
  return LEVEL_OF_CARE_RANK[a] - LEVEL_OF_CARE_RANK[b];
}
