export interface Rule {
  version: number;
  residenceStatuses: string[];
  minAge: number;
  maxAge: number;
  minGermanLevel: string | null;
  legalBasisNote: string | null;
  validFrom: string;
  validTo: string | null;
}

export interface EditableOffer {
  id: string;
  version: number | null;
  title: string;
  kind: string;
  description: string;
  languages: string[];
  requiredGermanLevel: string;
  schedule: string | null;
  costCents: number;
  costPerPlaceCents: number | null;
  internalNote: string | null;
  autoOfferFromWaitingList: boolean | null;
  active: boolean;
  fundingProgramme: { code: string; name: string } | null;
  location: { id: string; name: string; district: string };
  eligibility: { version: number } | null;
  eligibilityRules: Rule[];
}

export interface LocationChoice {
  id: string;
  name: string;
  district: string;
  active: boolean;
}

const RULE_FIELDS = 'version residenceStatuses minAge maxAge minGermanLevel legalBasisNote validFrom validTo';

export const OFFER_FIELDS = `id version title kind description languages requiredGermanLevel schedule costCents
  costPerPlaceCents internalNote autoOfferFromWaitingList active
  fundingProgramme { code name } location { id name district }
  eligibility { version } eligibilityRules { ${RULE_FIELDS} }`;

export const ORGANISATION_OFFERS = `query VerwaltungAngebote($id: ID!) {
  organisation(id: $id) {
    offers(first: 100) { totalCount nodes { ${OFFER_FIELDS} } }
    archivedOffers { ${OFFER_FIELDS} }
    locations { id name district active }
  }
}`;

export interface OrganisationOffers {
  organisation: {
    offers: { totalCount: number; nodes: EditableOffer[] };
    archivedOffers: EditableOffer[] | null;
    locations: LocationChoice[];
  } | null;
}

export const OFFER = `query VerwaltungAngebot($id: ID!) { offer(id: $id) { ${OFFER_FIELDS} } }`;

export const CREATE_OFFER = `mutation AngebotAnlegen($input: CreateOfferInput!) {
  createOffer(input: $input) { ${OFFER_FIELDS} }
}`;

export const UPDATE_OFFER = `mutation AngebotAendern($input: UpdateOfferInput!) {
  updateOffer(input: $input) { ${OFFER_FIELDS} }
}`;

export const ARCHIVE_OFFER = `mutation AngebotArchivieren($id: ID!, $version: Int!) {
  archiveOffer(id: $id, version: $version) { id active }
}`;

export const SET_RULE = `mutation RegelSetzen($input: SetEligibilityRuleInput!) {
  setEligibilityRule(input: $input) { ${RULE_FIELDS} }
}`;
