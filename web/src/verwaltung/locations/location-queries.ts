export interface EditableLocation {
  id: string;
  version: number | null;
  name: string;
  street: string;
  postalCode: string;
  city: string;
  district: string;
  wheelchairAccessible: boolean;
  accessibilityNote: string | null;
  active: boolean;
}

const FIELDS =
  'id version name street postalCode city district wheelchairAccessible accessibilityNote active';

export const LOCATIONS = `query VerwaltungStandorte($id: ID!) { organisation(id: $id) { locations { ${FIELDS} } } }`;
export interface Locations {
  organisation: { locations: EditableLocation[] } | null;
}

export const CREATE_LOCATION = `mutation StandortAnlegen($input: CreateLocationInput!) {
  createLocation(input: $input) { ${FIELDS} }
}`;
export const UPDATE_LOCATION = `mutation StandortAendern($input: UpdateLocationInput!) {
  updateLocation(input: $input) { ${FIELDS} }
}`;
export const ARCHIVE_LOCATION = `mutation StandortArchivieren($id: ID!, $version: Int!) {
  archiveLocation(id: $id, version: $version) { ${FIELDS} }
}`;
