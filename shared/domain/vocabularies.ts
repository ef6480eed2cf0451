// The vocabularies of the domain, each traced to the inspection (../shared/DOMAIN.md).
// Codes are stable identifiers stored in the database and carried by sync; labels are for people.

/** How an allegation arrived. IMS could not tell the online form from email (000 §4.23): we record it truthfully. */
export const CHANNELS = [
  'online_form',
  'email',
  'letter',
  'fax',
  'telephone',
  'internal_referral',
  'crimestoppers',
  'mp',
  'other_agency',
] as const;
export type Channel = (typeof CHANNELS)[number];
export const CHANNEL_LABELS: Record<Channel, string> = {
  online_form: 'Online form',
  email: 'Email',
  letter: 'Letter',
  fax: 'Fax',
  telephone: 'Telephone',
  internal_referral: 'Internal staff referral',
  crimestoppers: 'Crimestoppers',
  mp: 'MP correspondence',
  other_agency: 'Other agency',
};
/** Channels that arrive on paper: the original scan must be attached, or a reason recorded (000 §4.30). */
export const PAPER_CHANNELS: readonly Channel[] = ['letter', 'fax'];

/** Who reported it (Figure 10). */
export const REPORTER_TYPES = ['public', 'crimestoppers', 'other_agency', 'staff', 'mp'] as const;
export type ReporterType = (typeof REPORTER_TYPES)[number];
export const REPORTER_TYPE_LABELS: Record<ReporterType, string> = {
  public: 'Member of the public',
  crimestoppers: 'Crimestoppers',
  other_agency: 'Other agency (police, local authority…)',
  staff: 'Home Office staff',
  mp: 'Member of Parliament',
};

export const OFFENCE_TYPES = [
  'illegal_working',
  'overstayer',
  'illegal_entry',
  'sham_marriage',
  'absconder_location',
  'document_fraud',
  'visa_abuse',
  'benefit_fraud',
  'tobacco_alcohol_smuggling',
  'facilitation',
  'modern_slavery',
  'outbound_drug_smuggling',
  'firearms_importation',
  'other',
] as const;
export type OffenceType = (typeof OFFENCE_TYPES)[number];
export const OFFENCE_TYPE_LABELS: Record<OffenceType, string> = {
  illegal_working: 'Illegal working',
  overstayer: 'Overstayer',
  illegal_entry: 'Illegal entry',
  sham_marriage: 'Sham marriage',
  absconder_location: 'Absconder location',
  document_fraud: 'Document fraud',
  visa_abuse: 'Visa abuse',
  benefit_fraud: 'Benefit fraud',
  tobacco_alcohol_smuggling: 'Tobacco/alcohol smuggling',
  facilitation: 'Facilitation / people smuggling',
  modern_slavery: 'Modern slavery / exploitation',
  outbound_drug_smuggling: 'Outbound drug smuggling',
  firearms_importation: 'Firearms importation',
  other: 'Other',
};

/**
 * Where an allegation stands. `actioned` and `nfa` mean an outcome has been chosen and the case awaits the
 * compliance officer, who alone can close it (000 §4.38-4.39); `with_ice` means tasked to an ICE team and
 * awaiting its result.
 */
export const STATUSES = ['new', 'triaged', 'in_research', 'with_ice', 'actioned', 'nfa', 'closed'] as const;
export type Status = (typeof STATUSES)[number];
export const STATUS_LABELS: Record<Status, string> = {
  new: 'New',
  triaged: 'Assessed',
  in_research: 'In research',
  with_ice: 'With ICE team',
  actioned: 'Actioned — awaiting compliance',
  nfa: 'NFA — awaiting compliance',
  closed: 'Closed',
};

/** Risk rating on initial assessment sets the next service standard (000 §3.8). */
export const RISK_RATINGS = ['immediate', 'four_hours', 'forty_eight_hours', 'thirty_days'] as const;
export type RiskRating = (typeof RISK_RATINGS)[number];
export const RISK_RATING_LABELS: Record<RiskRating, string> = {
  immediate: 'Immediate',
  four_hours: '4 hours',
  forty_eight_hours: '48 hours',
  thirty_days: '30 days',
};

/** Outcomes (000 §3.7, Figure 2). */
export const OUTCOMES = ['actioned', 'nfa_actionable', 'nfa_non_actionable'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const OUTCOME_LABELS: Record<Outcome, string> = {
  actioned: 'Actioned',
  nfa_actionable: 'NFA — actionable',
  nfa_non_actionable: 'NFA — non-actionable',
};
export const OUTCOME_ACTIONS = [
  'tasked_ice',
  'tasked_crime',
  'disseminated_internal',
  'disseminated_external',
  'flagged_cid',
  'flagged_crs',
  'flagged_wi',
] as const;
export type OutcomeAction = (typeof OUTCOME_ACTIONS)[number];
export const OUTCOME_ACTION_LABELS: Record<OutcomeAction, string> = {
  tasked_ice: 'Tasked to ICE team',
  tasked_crime: 'Tasked to crime team',
  disseminated_internal: 'Disseminated internally',
  disseminated_external: 'Disseminated externally (intelligence report)',
  flagged_cid: 'Flagged on CID',
  flagged_crs: 'Flagged on CRS',
  flagged_wi: 'Flagged on Warnings Index',
};
export const NFA_REASONS = ['duplicate', 'insufficient_information', 'offence_unclear', 'valid_leave'] as const;
export type NfaReason = (typeof NFA_REASONS)[number];
export const NFA_REASON_LABELS: Record<NfaReason, string> = {
  duplicate: 'Duplicate',
  insufficient_information: 'Insufficient information',
  offence_unclear: 'Offence unclear',
  valid_leave: 'Subject has valid leave',
};

/** Background checks on Home Office systems (000 §4.17-4.19; 004 §5.13). */
export const CHECK_SYSTEMS = ['cid_atlas', 'crs', 'pnc', 'warnings_index', 'nod', 'dvla', 'companies_house', 'other'] as const;
export type CheckSystem = (typeof CHECK_SYSTEMS)[number];
export const CHECK_SYSTEM_LABELS: Record<CheckSystem, string> = {
  cid_atlas: 'CID / Atlas',
  crs: 'CRS',
  pnc: 'PNC',
  warnings_index: 'Warnings Index',
  nod: 'NOD',
  dvla: 'DVLA',
  companies_house: 'Companies House',
  other: 'Other',
};

/** UK 3x5x2 grading. */
export const SOURCE_EVALUATIONS = ['1', '2', '3'] as const;
export const INTELLIGENCE_ASSESSMENTS = ['A', 'B', 'C', 'D', 'E'] as const;
export const HANDLING_CODES = ['P', 'C'] as const;

export const SUBJECT_ROLES = ['main', 'associate', 'employer', 'spouse', 'other'] as const;
export type SubjectRole = (typeof SUBJECT_ROLES)[number];
export const GENDERS = ['M', 'F', 'X', 'U'] as const;
export type Gender = (typeof GENDERS)[number];
export const GENDER_LABELS: Record<Gender, string> = { M: 'Male', F: 'Female', X: 'Other', U: 'Not known' };

export const ADDRESS_TYPES = ['home', 'associate_home', 'work', 'offence_location', 'business', 'other'] as const;
export type AddressType = (typeof ADDRESS_TYPES)[number];

export const LINK_JUDGEMENTS = ['duplicate', 'associated', 'not_a_match'] as const;
export type LinkJudgement = (typeof LINK_JUDGEMENTS)[number];

export const ROLES = ['analyst', 'sifter', 'compliance_officer', 'duty_manager', 'nsu', 'sacu', 'manager', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const ROLE_LABELS: Record<Role, string> = {
  analyst: 'RIU analyst',
  sifter: 'NAT sifter',
  compliance_officer: 'Compliance officer',
  duty_manager: 'Duty intelligence manager',
  nsu: 'National Source Unit officer',
  sacu: 'Security and Anti-Corruption Unit',
  manager: 'Manager',
  admin: 'Administrator',
};
/** Roles whose work spans every unit rather than one. */
export const NATIONAL_ROLES: readonly Role[] = ['nsu', 'sacu', 'manager', 'admin'];

export const OCR_STATUSES = ['none', 'pending', 'running', 'done', 'failed', 'text_layer', 'legacy'] as const;
export type OcrStatus = (typeof OCR_STATUSES)[number];
