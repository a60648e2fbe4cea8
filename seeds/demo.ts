import type { MikroORM } from '@mikro-orm/postgresql';
import { Organisation } from '../src/modules/organisation/organisation.entity.js';

export async function seedDemoIfEmpty(_orm: MikroORM): Promise<Record<string, number> | null> {
  void Organisation;
  return null;
}
