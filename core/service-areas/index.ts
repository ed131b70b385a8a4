/**
 * Service areas (tjenesteområder): KOSTRA functions (3 digits) and SSB's function groups (FGK…) of table 12362,
 * and the analysts' groupings of them (service-areas.json, data). Facts of tables without a function dimension are
 * about the whole municipality and are stored under one code.
 */
export const WHOLE_MUNICIPALITY = 'ALL';
