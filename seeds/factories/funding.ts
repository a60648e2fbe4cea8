import type { Faker } from '@faker-js/faker';
import type { EntityManager } from '@mikro-orm/postgresql';
import { FundingProgramme } from '../../src/modules/funding/funding-programme.entity.js';
import type { FundingCode } from './organisation-catalogue.js';
import { stamp } from './stamps.js';

const PROGRAMMES: readonly {
  code: FundingCode;
  name: string;
  description: string;
  funder: string;
  validFrom: string;
  validTo?: string;
}[] = [
  {
    code: 'DIAA',
    name: 'Durchstarten in Ausbildung und Arbeit',
    description:
      'Landesprogramm der Initiative „Gemeinsam klappt’s“ für junge volljährige Geflüchtete mit Gestattung oder Duldung; förderte unter anderem das Teilhabemanagement.',
    funder: 'Land Nordrhein-Westfalen (MKJFGFI und MAGS)',
    validFrom: '2018-10-01',
    validTo: '2023-12-31',
  },
  {
    code: 'KIM',
    name: 'Kommunales Integrationsmanagement',
    description:
      'Landesförderung für rechtskreisübergreifendes Case Management und die strategische Steuerung in den Kommunen; Nachfolger der Bausteine von „Durchstarten“.',
    funder: 'Land Nordrhein-Westfalen (MKJFGFI)',
    validFrom: '2020-01-01',
  },
  {
    code: 'ESF_WIR',
    name: 'ESF Plus: WIR – Netzwerke integrieren Geflüchtete in den regionalen Arbeitsmarkt',
    description:
      'Bundesprogramm aus Mitteln des Europäischen Sozialfonds Plus für Netzwerke zur Arbeitsmarktintegration Geflüchteter.',
    funder: 'Bundesministerium für Arbeit und Soziales, Europäischer Sozialfonds Plus',
    validFrom: '2022-10-01',
    validTo: '2026-12-31',
  },
];

export function seedFundingProgrammes(em: EntityManager, faker: Faker): Map<FundingCode, FundingProgramme> {
  return new Map(
    PROGRAMMES.map((p, i) => [
      p.code,
      em.create(FundingProgramme, { id: faker.string.uuid(), ...p, ...stamp('2025-09-01', i) }),
    ]),
  );
}
