export interface PeriodReservation {
  id: string;
  status: string;
  holdUntil: string | null;
  createdAt: string;
  fromWaitingList: boolean;
}

export interface WaitingEntry {
  id: string;
  status: string;
  position: number | null;
  createdAt: string;
}

export interface Period {
  id: string;
  version: number | null;
  label: string | null;
  startsOn: string;
  endsOn: string;
  total: number | null;
  occupied: number | null;
  reserved: number | null;
  available: number | null;
  waitingList: number | null;
  reservations: PeriodReservation[] | null;
  waitingListEntries: WaitingEntry[] | null;
}

export const OFFER_CHOICES = `query VerwaltungPlatzAngebote($id: ID!) {
  organisation(id: $id) { offers(first: 100) { nodes { id title } } }
}`;
export interface OfferChoices {
  organisation: { offers: { nodes: { id: string; title: string }[] } } | null;
}

const PERIOD_FIELDS = `id version label startsOn endsOn total occupied reserved available waitingList
  reservations { id status holdUntil createdAt fromWaitingList }
  waitingListEntries { id status position createdAt }`;

export const OFFER_PERIODS = `query VerwaltungZeitraeume($offer: ID!) {
  offer(id: $offer) { id title capacityPeriods { ${PERIOD_FIELDS} } }
}`;
export interface OfferPeriods {
  offer: { id: string; title: string; capacityPeriods: Period[] } | null;
}

export const CREATE_PERIOD = `mutation ZeitraumAnlegen($input: CreateCapacityPeriodInput!) {
  createCapacityPeriod(input: $input) { id label startsOn }
}`;
export const SET_TOTAL = `mutation PlaetzeSetzen($input: SetCapacityTotalInput!) {
  setCapacityTotal(input: $input) { id total version }
}`;
export const CONFIRM = `mutation ReservierungBestaetigen($id: ID!) {
  confirmReservation(input: { reservationId: $id }) { id status }
}`;
export const RELEASE = `mutation PlatzFreigeben($id: ID!) {
  releasePlace(input: { reservationId: $id }) { id status }
}`;

export const RESERVATION_STATUS: Record<string, string> = {
  HELD: 'gehalten',
  CONFIRMED: 'bestätigt',
  RELEASED: 'freigegeben',
  EXPIRED: 'abgelaufen',
};

export const WAITING_STATUS: Record<string, string> = {
  WAITING: 'wartet',
  OFFERED: 'Platz angeboten',
  WITHDRAWN: 'zurückgezogen',
};
