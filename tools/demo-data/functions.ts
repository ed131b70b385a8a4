/**
 * KOSTRA functions (KOKfunksjon0000) and service-area groups (FGK…) of table 12362 in the demo dataset, with the
 * group compositions SSB uses (checked against published Oslo figures, see ../shared/docs/kostra-domain.md): a group's
 * value is exactly the sum of its functions valid that year. FGK6a overlaps other groups, as at SSB.
 */

export interface FunctionSpec {
  code: string;
  label: string;
  /** first / last year the function exists (254 ends 2023, 258 starts 2024, 304/305 end 2017) */
  from?: number;
  to?: number;
  /** share of its report grouping's amount (weights are renormalised over the functions valid in a year) */
  w?: number;
  /** functions outside every report grouping: net NOK per inhabitant (nominal 2024) */
  perCapita?: number;
  /** weight in the non-net part of gross expenditure (fees, refunds, sales) */
  income: number;
  /** weight in gross investment (AGI5) */
  invest?: number;
}

export const FUNCTIONS: FunctionSpec[] = [
  { code: '100', label: 'Politisk styring', w: 0.05, income: 0.2 },
  { code: '110', label: 'Kontroll og revisjon', w: 0.02, income: 0.1 },
  { code: '120', label: 'Administrasjon', w: 0.6, income: 4, invest: 2 },
  { code: '121', label: 'Forvaltningsutgifter i eiendomsforvaltningen', w: 0.05, income: 0.5 },
  { code: '130', label: 'Administrasjonslokaler', w: 0.1, income: 0.8, invest: 2 },
  { code: '170', label: 'Årets premieavvik', w: -0.03, income: 0 },
  { code: '171', label: 'Amortisering av tidligere års premieavvik', w: 0.02, income: 0 },
  { code: '172', label: 'Pensjon', w: 0.04, income: 0.1 },
  { code: '173', label: 'Premiefond', w: 0.01, income: 0 },
  { code: '180', label: 'Diverse fellesutgifter', w: 0.14, income: 1 },
  { code: '190', label: 'Interne serviceenheter', perCapita: 40, income: 3 },
  { code: '201', label: 'Barnehage', w: 0.86, income: 9, invest: 1 },
  { code: '202', label: 'Grunnskole', w: 0.8, income: 9, invest: 0.5 },
  { code: '211', label: 'Styrket tilbud til førskolebarn', w: 0.08, income: 0.5 },
  { code: '213', label: 'Voksenopplæring', w: 0.02, income: 1.2 },
  { code: '215', label: 'Skolefritidstilbud', w: 0.03, income: 3 },
  { code: '221', label: 'Førskolelokaler og skyss', w: 0.06, income: 0.3, invest: 6 },
  { code: '222', label: 'Skolelokaler', w: 0.13, income: 0.8, invest: 22 },
  { code: '223', label: 'Skoleskyss', w: 0.02, income: 0.1 },
  { code: '231', label: 'Aktivitetstilbud barn og unge', w: 0.12, income: 0.3 },
  { code: '232', label: 'Forebygging, skole- og helsestasjonstjeneste', w: 0.3, income: 0.4 },
  { code: '233', label: 'Annet forebyggende helsearbeid', w: 0.1, income: 0.3 },
  { code: '234', label: 'Aktivisering og servicetjenester overfor eldre og personer med funksjonsnedsettelser', w: 0.06, income: 1 },
  { code: '241', label: 'Diagnose, behandling, re-/habilitering', w: 0.6, income: 2.5 },
  { code: '242', label: 'Råd, veiledning og sosialt forebyggende arbeid', w: 0.15, income: 0.8 },
  { code: '243', label: 'Tilbud til personer med rusproblemer', w: 0.08, income: 0.4 },
  { code: '244', label: 'Barneverntjeneste', w: 0.35, income: 0.4 },
  { code: '251', label: 'Barneverntiltak i familien', w: 0.15, income: 0.2 },
  { code: '252', label: 'Barneverntiltak utenfor familien', w: 0.5, income: 1.5 },
  { code: '253', label: 'Helse- og omsorgstjenester i institusjon', w: 0.4, income: 10, invest: 2 },
  { code: '254', label: 'Helse- og omsorgstjenester til hjemmeboende', to: 2023, w: 0.4, income: 9 },
  { code: '256', label: 'Tilbud om øyeblikkelig hjelp døgnopphold', w: 0.01, income: 0.1 },
  { code: '257', label: 'Tilbud til personer med rusproblemer', w: 0.03, income: 0.3 },
  { code: '258', label: 'Tilbud til personer med psykiske lidelser', from: 2024, w: 0.4, income: 9 },
  { code: '261', label: 'Institusjonslokaler', w: 0.1, income: 1, invest: 10 },
  { code: '265', label: 'Kommunalt disponerte boliger', w: 0.6, income: 4, invest: 5 },
  { code: '273', label: 'Arbeidsrettede tiltak i kommunal regi', w: 0.07, income: 0.8 },
  { code: '275', label: 'Introduksjonsordningen', w: 0.12, income: 1.5 },
  { code: '276', label: 'Kvalifiseringsordningen', w: 0.08, income: 0.2 },
  { code: '281', label: 'Ytelse til livsopphold', w: 0.5, income: 0.6 },
  { code: '283', label: 'Bistand til etablering og opprettholdelse av egen bolig', w: 0.25, income: 0.5 },
  { code: '285', label: 'Tjenester utenfor ordinært kommunalt ansvarsområde', perCapita: 70, income: 0.3 },
  { code: '301', label: 'Plansaksbehandling', w: 0.25, income: 0.3 },
  { code: '302', label: 'Byggesaksbehandling og eierseksjonering', w: 0.05, income: 1.5 },
  { code: '303', label: 'Kart og oppmåling', w: 0.05, income: 0.6 },
  { code: '304', label: 'Bolig- og næringsarealer (til og med 2017)', to: 2017, w: 0.03, income: 0.2 },
  { code: '305', label: 'Boligtiltak (til og med 2017)', to: 2017, w: 0.03, income: 0.2 },
  { code: '315', label: 'Boligbygging og fysiske bomiljøtiltak', w: 0.15, income: 0.3, invest: 1 },
  { code: '320', label: 'Kommunal næringsvirksomhet', income: 0.6 },
  { code: '321', label: 'Konsesjonskraft, kraftrettigheter og annen kraft for videresalg', income: 0.4 },
  { code: '322', label: 'Andre forretningsbygg', income: 0.3, invest: 0.5 },
  { code: '325', label: 'Tilrettelegging og bistand for næringslivet', income: 0.3 },
  { code: '329', label: 'Landbruksforvaltning og landbruksbasert næringsutvikling', w: 1, income: 0.2 },
  { code: '330', label: 'Samferdselsbedrifter/transporttiltak', w: 0.15, income: 0.3 },
  { code: '332', label: 'Kommunale veier', w: 0.85, income: 0.8, invest: 8 },
  { code: '335', label: 'Rekreasjon i tettsted', w: 0.3, income: 0.2, invest: 1 },
  { code: '338', label: 'Forebygging av branner og andre ulykker', w: 0.2, income: 0.3 },
  { code: '339', label: 'Beredskap mot branner og andre ulykker', w: 0.8, income: 0.8, invest: 0.5 },
  { code: '340', label: 'Produksjon av vann', perCapita: -60, income: 3, invest: 4 },
  { code: '345', label: 'Distribusjon av vann', perCapita: -90, income: 3, invest: 6 },
  { code: '350', label: 'Avløpsrensing', perCapita: -70, income: 3, invest: 4 },
  { code: '353', label: 'Avløpsnett/innsamling av avløpsvann', perCapita: -110, income: 4, invest: 7 },
  { code: '354', label: 'Tømming av slamavskillere, septiktanker o.l.', perCapita: -8, income: 0.3 },
  { code: '355', label: 'Innsamling, gjenvinning og sluttbehandling av husholdningsavfall', perCapita: -40, income: 4 },
  { code: '360', label: 'Naturforvaltning og friluftsliv', w: 0.25, income: 0.3 },
  { code: '365', label: 'Kulturminneforvaltning', w: 0.1, income: 0.1 },
  { code: '370', label: 'Bibliotek', w: 0.1, income: 0.2 },
  { code: '373', label: 'Kino', w: 0.01, income: 0.3 },
  { code: '375', label: 'Muséer', w: 0.05, income: 0.1 },
  { code: '377', label: 'Kunstformidling', w: 0.03, income: 0.2 },
  { code: '380', label: 'Idrett og tilskudd til andres idrettsanlegg', w: 0.14, income: 0.3 },
  { code: '381', label: 'Kommunale idrettsbygg og idrettsanlegg', w: 0.2, income: 0.8, invest: 3 },
  { code: '383', label: 'Musikk- og kulturskoler', w: 0.12, income: 0.8 },
  { code: '385', label: 'Andre kulturaktiviteter og tilskudd til andres kulturbygg', w: 0.12, income: 0.4 },
  { code: '386', label: 'Kommunale kulturbygg', w: 0.11, income: 0.6, invest: 2 },
  { code: '390', label: 'Den norske kirke', w: 0.78, income: 0.1 },
  { code: '392', label: 'Andre religiøse formål', w: 0.07, income: 0 },
  { code: '393', label: 'Kirkegårder, gravlunder og krematorier', w: 0.15, income: 0.3, invest: 0.5 },
];

/** Fixed positive parts of "Næringsforv. og konsesjonskraft" (NOK per inhabitant, 2024); 321 takes the rest. */
export const NAERING_FIXED: Record<string, number> = { '320': 25, '322': 35, '325': 120 };

export interface GroupSpec {
  code: string;
  label: string;
  functions: string[];
}

/**
 * SSB's service-area groups. Labels as SSB shows them (FGK1b and FGK2 say ", kommune" in real responses; the
 * catalogue's service-areas.json uses shorter labels — match by code).
 */
export const GROUPS: GroupSpec[] = [
  { code: 'FGK1a', label: 'Politisk styring og kontrollvirksomhet', functions: ['100', '110'] },
  { code: 'FGK1b', label: 'Administrasjon, kommune', functions: ['120', '121', '130'] },
  { code: 'FGK1c', label: 'Fellesutgifter', functions: ['170', '171', '172', '173', '180'] },
  { code: 'FGK2', label: 'Kultursektoren, kommune', functions: ['231', '370', '373', '375', '377', '380', '381', '383', '385', '386'] },
  { code: 'FGK3', label: 'Plan, byggesak og miljø', functions: ['301', '302', '303', '304', '305', '335', '360', '365'] },
  { code: 'FGK4', label: 'Næringsforvaltning', functions: ['320', '321', '322', '325', '329'] },
  { code: 'FGK5', label: 'Samferdsel', functions: ['330', '332'] },
  { code: 'FGK6a', label: 'Eiendomsforvaltning', functions: ['121', '130', '221', '222', '261', '381', '386'] },
  { code: 'FGK7', label: 'Barnehage', functions: ['201', '211', '221'] },
  { code: 'FGK8b', label: 'Grunnskole', functions: ['202', '213', '215', '222', '223'] },
  { code: 'FGK9', label: 'Helse- og omsorg', functions: ['232', '233', '234', '241', '253', '254', '256', '257', '258', '261'] },
  { code: 'FGK12', label: 'Sosialsektoren samlet', functions: ['242', '243', '273', '275', '276', '281'] },
  { code: 'FGK13', label: 'Barnevern', functions: ['244', '251', '252'] },
  { code: 'FGK14', label: 'Vann, avløp, renovasjon, avfall (VAR)', functions: ['340', '345', '350', '353', '354', '355'] },
  { code: 'FGK15', label: 'Kirke', functions: ['390', '392', '393'] },
  { code: 'FGK16', label: 'Kommunale boliger', functions: ['265', '283', '315'] },
  { code: 'FGK17', label: 'Brann- og ulykkesvern', functions: ['338', '339'] },
];

export function functionValidIn(f: { from?: number; to?: number }, year: number): boolean {
  return (f.from === undefined || year >= f.from) && (f.to === undefined || year <= f.to);
}

export const FUNCTION_BY_CODE = new Map(FUNCTIONS.map((f) => [f.code, f]));
export const GROUP_BY_CODE = new Map(GROUPS.map((g) => [g.code, g]));

/** Functions of a service-area code (FGK group or single function) valid in a year. */
export function expandServiceArea(code: string, year: number): string[] {
  const g = GROUP_BY_CODE.get(code);
  const fns = g ? g.functions : [code];
  return fns.filter((f) => {
    const spec = FUNCTION_BY_CODE.get(f);
    if (!spec) throw new Error(`demo functions: unknown function ${f} (in ${code})`);
    return functionValidIn(spec, year);
  });
}
