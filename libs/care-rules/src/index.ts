// The clinical rules of an episode as pure functions of its dated facts: no clock, no database, no framework.
export * from './billing';
export * from './calendar';
export * from './engagement';
export * from './facts';
export * from './illustrative-rules';
export * from './length-of-stay';
export * from './progress-rules';
export * from './rules-in-force';
export * from './screen-interpretation';
export * from './versioned-data';
export * from './weekly-hours';
export * from './planned-hours';
export * from './weekly-slots';
