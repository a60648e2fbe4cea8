import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261125145207 } from './Migration20261125145207.js';
import { Migration20261125153449 } from './Migration20261125153449.js';
import { Migration20261125155516 } from './Migration20261125155516.js';
import { Migration20261125160444 } from './Migration20261125160444.js';
import { Migration20261125161150 } from './Migration20261125161150.js';
import { Migration20261125172701 } from './Migration20261125172701.js';
import { Migration20261125174147 } from './Migration20261125174147.js';
import { Migration20261125193220 } from './Migration20261125193220.js';
import { Migration20261125193327 } from './Migration20261125193327.js';
import { Migration20261201100000 } from './Migration20261201100000.js';
import { Migration20261201200000 } from './Migration20261201200000.js';
import { Migration20261210100000 } from './Migration20261210100000.js';
import { Migration20261211100000 } from './Migration20261211100000.js';
import { Migration20261212100000 } from './Migration20261212100000.js';
import { Migration20261213100000 } from './Migration20261213100000.js';
import { Migration20261214100000 } from './Migration20261214100000.js';
import { Migration20261220100000 } from './Migration20261220100000.js';
import { Migration20261220110000 } from './Migration20261220110000.js';
import { Migration20261220120000 } from './Migration20261220120000.js';

/** Every migration, in order. A test checks that each file in this folder is listed here. */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261125145207', class: Migration20261125145207 },
  { name: 'Migration20261125153449', class: Migration20261125153449 },
  { name: 'Migration20261125155516', class: Migration20261125155516 },
  { name: 'Migration20261125160444', class: Migration20261125160444 },
  { name: 'Migration20261125161150', class: Migration20261125161150 },
  { name: 'Migration20261125172701', class: Migration20261125172701 },
  { name: 'Migration20261125174147', class: Migration20261125174147 },
  { name: 'Migration20261125193220', class: Migration20261125193220 },
  { name: 'Migration20261125193327', class: Migration20261125193327 },
  { name: 'Migration20261201100000', class: Migration20261201100000 },
  { name: 'Migration20261201200000', class: Migration20261201200000 },
  { name: 'Migration20261210100000', class: Migration20261210100000 },
  { name: 'Migration20261211100000', class: Migration20261211100000 },
  { name: 'Migration20261212100000', class: Migration20261212100000 },
  { name: 'Migration20261213100000', class: Migration20261213100000 },
  { name: 'Migration20261214100000', class: Migration20261214100000 },
  { name: 'Migration20261220100000', class: Migration20261220100000 },
  { name: 'Migration20261220110000', class: Migration20261220110000 },
  { name: 'Migration20261220120000', class: Migration20261220120000 },
];
