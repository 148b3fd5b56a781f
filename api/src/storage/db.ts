import { createPrismaClient, type PrismaClient, type QueryListener } from './prisma.ts';

/**
 * The process's Prisma client for reads. One module owns it so the GraphQL
 * context type never carries the (very large) client type; the API opens it at
 * start and closes it at shutdown.
 */
let client: PrismaClient | undefined;

export function openPrisma(path: string, onQuery?: QueryListener): PrismaClient {
  return usePrisma(createPrismaClient(path, onQuery));
}

/** Makes `opened` (either engine's client) the process's client. */
export function usePrisma(opened: PrismaClient): PrismaClient {
  if (client !== undefined) throw new Error('a Prisma client is already open in this process; close it first');
  client = opened;
  return client;
}

export function prisma(): PrismaClient {
  if (client === undefined) throw new Error('the database is not open');
  return client;
}

export async function closePrisma(): Promise<void> {
  const open = client;
  client = undefined;
  await open?.$disconnect();
}
