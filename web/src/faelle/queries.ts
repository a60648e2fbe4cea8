/** The GraphQL operations of /faelle and the shapes the page reads from them (schema.graphql). */

export interface CaseSummary {
  id: string;
  version: number;
  intakeDate: string;
  ageBand: string;
  gender: string;
  nationalityGroup: string;
  residenceStatus: string;
  schoolLevel: string;
  germanLevel: string;
  stage: string;
  closedOn: string | null;
  handoverTo: { id: string; name: string } | null;
}

export interface PeriodRef {
  id: string;
  label: string | null;
  startsOn: string;
  endsOn: string;
  offer: { id: string; title: string; organisation: { name: string } };
}

export interface ReservationRow {
  id: string;
  status: string;
  holdUntil: string | null;
  fromWaitingList: boolean;
  createdAt: string;
  capacityPeriod: PeriodRef;
}

export interface WaitingRow {
  id: string;
  status: string;
  position: number | null;
  createdAt: string;
  capacityPeriod: PeriodRef;
}

export interface CaseDetail extends CaseSummary {
  events: {
    kind: string;
    occurredOn: string;
    fromStage: string | null;
    toStage: string | null;
    fromStatus: string | null;
    toStatus: string | null;
  }[];
  reservations: ReservationRow[];
  waitingListEntries: WaitingRow[];
}

const CASE_FIELDS = `id version intakeDate ageBand gender nationalityGroup residenceStatus schoolLevel
  germanLevel stage closedOn handoverTo { id name }`;

const PERIOD_REF = `id label startsOn endsOn offer { id title organisation { name } }`;

export const CASES = `query Faelle($open: Boolean, $after: String) {
  cases(first: 20, after: $after, filter: { open: $open }) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { ${CASE_FIELDS} }
  }
}`;

export const CASE = `query Fall($id: ID!) {
  case(id: $id) {
    ${CASE_FIELDS}
    events { kind occurredOn fromStage toStage fromStatus toStatus }
    reservations { id status holdUntil fromWaitingList createdAt capacityPeriod { ${PERIOD_REF} } }
    waitingListEntries { id status position createdAt capacityPeriod { ${PERIOD_REF} } }
  }
}`;

export const INCOMING_HANDOVERS = `query Uebergaben { incomingCaseHandovers { caseId requestedAt } }`;

export const ORGANISATIONS = `query Organisationen($after: String) {
  organisations(first: 100, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { id name }
  }
}`;

export const CREATE_CASE = `mutation FallAnlegen($input: CreateCaseInput!) { createCase(input: $input) { id } }`;

export const UPDATE_CASE = `mutation FallAendern($input: UpdateCaseInput!) { updateCase(input: $input) { id version } }`;

export const CLOSE_CASE = `mutation FallAbschliessen($input: CloseCaseInput!) { closeCase(input: $input) { id } }`;

export const HAND_OVER_CASE = `mutation FallUebergeben($input: HandOverCaseInput!) {
  handOverCase(input: $input) { id handoverTo { name } }
}`;

export const ACCEPT_HANDOVER = `mutation UebergabeAnnehmen($input: CaseIdInput!) {
  acceptCaseHandover(input: $input) { id }
}`;

export interface EligibleOffer {
  id: string;
  title: string;
  kind: string;
  organisation: { name: string };
  location: { district: string };
  eligibility: { legalBasisNote: string | null } | null;
  capacityPeriods: {
    id: string;
    label: string | null;
    startsOn: string;
    endsOn: string;
    availability: string;
    available: number | null;
    total: number | null;
    waitingList: number | null;
  }[];
}

export const ELIGIBLE_OFFERS = `query PassendeAngebote($filter: OfferFilter!, $after: String) {
  offers(first: 20, after: $after, filter: $filter, orderBy: { field: FREE_PLACES, direction: DESC }) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      id title kind
      organisation { name }
      location { district }
      eligibility { legalBasisNote }
      capacityPeriods { id label startsOn endsOn availability available total waitingList }
    }
  }
}`;

export const RESERVE_PLACE = `mutation PlatzReservieren($input: ReservePlaceInput!) {
  reservePlace(input: $input) { id status holdUntil }
}`;

export const JOIN_WAITING_LIST = `mutation Warteliste($input: JoinWaitingListInput!) {
  joinWaitingList(input: $input) { id status position }
}`;

export const RELEASE_PLACE = `mutation PlatzFreigeben($input: ReservationInput!) {
  releasePlace(input: $input) { id status }
}`;
