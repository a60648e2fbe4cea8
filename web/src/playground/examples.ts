/** Ready operations for the playground: what partners and developers ask the hub first. */
export interface Example {
  title: string;
  description: string;
  query: string;
  variables: string;
}

const year = new Date().getFullYear();

export const EXAMPLES: Example[] = [
  {
    title: 'Angebote für ein Profil',
    description: 'Angebote mit freien Plätzen, deren Zugangsregel eine Person zulässt',
    query: `# Angebote mit freien Plätzen, deren Zugangsregel diese Person zulässt
# (Aufenthaltsstatus, Alter, Deutschniveau – nur gefragt, nie gespeichert).
# Ohne Anmeldung: freie Plätze als Band (availability); angemeldet: genaue Zahlen.
query AngeboteFuerProfil($profil: EligibilityProfileInput!) {
  offers(
    first: 10
    filter: { hasFreePlaces: true, eligibleFor: $profil }
    orderBy: { field: FREE_PLACES, direction: DESC }
  ) {
    totalCount
    nodes {
      id
      title
      kind
      organisation { name }
      location { name district }
      availability
      currentCapacityPeriod { id label startsOn endsOn available total }
    }
  }
}
`,
    variables: `{
  "profil": { "residenceStatus": "DULDUNG", "age": 20, "germanLevel": "A2" }
}
`,
  },
  {
    title: 'Platz reservieren',
    description: 'Eigene Fälle, einen Platz halten und wieder freigeben (Fallmanagement)',
    query: `# Nur für Fallmanager:innen der eigenen Organisation, z. B. casemanager@kja-leverkusen.example
# (Demo-Passwort buendnis-demo-2026). Reihenfolge:
#  1. MeineFaelle ausführen und eine Fall-ID in "fall" eintragen,
#  2. eine Zeitraum-ID (currentCapacityPeriod.id aus "Angebote für ein Profil") in "periode",
#  3. PlatzReservieren ausführen; die Reservierungs-ID in "reservierung" eintragen,
#  4. PlatzFreigeben: der Platz wird wieder frei (placesAvailable meldet es).
query MeineFaelle {
  cases(first: 5) {
    nodes { id stage residenceStatus ageBand germanLevel }
  }
}

mutation PlatzReservieren($periode: ID!, $fall: ID!) {
  reservePlace(input: { capacityPeriodId: $periode, caseId: $fall }) {
    id
    status
    holdUntil
    capacityPeriod { label available total }
  }
}

mutation PlatzFreigeben($reservierung: ID!) {
  releasePlace(input: { reservationId: $reservierung }) {
    id
    status
    capacityPeriod { label available total }
  }
}
`,
    variables: `{
  "periode": "",
  "fall": "",
  "reservierung": ""
}
`,
  },
  {
    title: 'Live: freie Plätze',
    description: 'Abonnement placesAvailable über graphql-ws',
    query: `# Meldet sich, sobald in einem passenden Angebot ein Platz frei wird (graphql-ws auf /graphql).
# Der Filter ist derselbe wie bei "offers"; ohne Filter: alle Angebote.
# Zum Ausprobieren in einem zweiten Tab PlatzFreigeben ausführen.
subscription PlatzFrei {
  placesAvailable(filter: { kinds: [JOB_LANGUAGE_COURSE, INTEGRATION_COURSE, EQ, AUSBILDUNG] }) {
    changedAt
    reason
    offer { title organisation { name } }
    capacityPeriod { label availability available total }
  }
}
`,
    variables: '',
  },
  {
    title: 'Statistik-Tabelle',
    description: 'Anonymisierte Fallzahlen nach Aufenthaltsstatus und Altersgruppe',
    query: `# Anonymisierte Fallzahlen mit Summen ("*"). Kleine Werte sind unterdrückt (value: null, status
# SUPPRESSED), weitere so, dass sich keiner aus allen Tabellen eingrenzen lässt — alle gleich markiert.
# Öffentlich: k = 5, auf 5 gerundet; Partner: k = 3, genaue Zahlen.
query FaelleNachStatusUndAlter($jahr: Int!) {
  caseStatistics(
    measure: CASES
    dimensions: [RESIDENCE_STATUS, AGE_BAND]
    period: { year: $jahr }
  ) {
    audience
    minimumCellSize
    roundingBase
    period
    closed
    computedAt
    suppressedCells
    categories { dimension values }
    cells { key value status }
  }
}
`,
    variables: `{ "jahr": ${year} }
`,
  },
];
