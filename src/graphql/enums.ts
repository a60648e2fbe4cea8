import { registerEnumType } from 'type-graphql';
import {
  AgeBand,
  Gender,
  GermanLevel,
  OfferKind,
  OrganisationKind,
  PathwayStage,
  ReservationStatus,
  ResidenceStatus,
  Role,
  SchoolLevel,
  WaitingListStatus,
} from '../domain/enums.js';

/** How many places are free, for viewers who may not see exact numbers. */
export enum AvailabilityBand {
  NONE = 'NONE',
  FEW = 'FEW',
  SOME = 'SOME',
}

/** Up to this many free places count as FEW. */
export const FEW_PLACES_MAX = 3;

export function availabilityBand(available: number): AvailabilityBand {
  if (available <= 0) return AvailabilityBand.NONE;
  return available <= FEW_PLACES_MAX ? AvailabilityBand.FEW : AvailabilityBand.SOME;
}

registerEnumType(OrganisationKind, {
  name: 'OrganisationKind',
  description: 'Kind of partner organisation.',
});
registerEnumType(OfferKind, {
  name: 'OfferKind',
  description: 'Kind of offer (course, Ausbildung slot, EQ, counselling, …).',
});
registerEnumType(GermanLevel, { name: 'GermanLevel', description: 'GER/CEFR level; A0 = no German yet.' });
registerEnumType(ResidenceStatus, {
  name: 'ResidenceStatus',
  description: 'Residence status (Aufenthaltsstatus).',
});
registerEnumType(PathwayStage, {
  name: 'PathwayStage',
  description: 'Stage on the way into Ausbildung and work.',
});
registerEnumType(AgeBand, { name: 'AgeBand' });
registerEnumType(Gender, { name: 'Gender' });
registerEnumType(SchoolLevel, { name: 'SchoolLevel' });
registerEnumType(Role, { name: 'Role' });
registerEnumType(ReservationStatus, { name: 'ReservationStatus' });
registerEnumType(WaitingListStatus, { name: 'WaitingListStatus' });
registerEnumType(AvailabilityBand, {
  name: 'AvailabilityBand',
  description: `NONE: no free place; FEW: 1–${FEW_PLACES_MAX}; SOME: more.`,
});
