-- Walks through the ranked users, kept where every API node sees them
-- (api/src/storage/postgres/rank-walks.ts). Not Prisma models: the Prisma
-- schema is shared with SQLite, where this history is held in the process.

-- Each user a transaction moved in a ranking, with their ranking values before
-- it; NULL values: the transaction created the user. "xid" tells a walk whether
-- the transaction had committed when the walk began; "id" orders one user's
-- entries (they are written under the user's lock, one transaction at a time).
CREATE TABLE "RankMove" (
    "id" BIGSERIAL NOT NULL,
    "xid" xid8 NOT NULL DEFAULT pg_current_xact_id(),
    "userId" TEXT NOT NULL,
    "attention" INTEGER,
    "riskKey" DOUBLE PRECISION,
    "driftScore" INTEGER,
    "lastSeen" TIMESTAMP(3),
    "eventCount" INTEGER,
    "verdict" TEXT,

    CONSTRAINT "RankMove_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "RankMove_xid_idx" ON "RankMove"("xid");

-- Walks going on: the snapshot each sees the users as of, and its last page
-- (on the database's clock, which every node shares).
CREATE TABLE "RankWalk" (
    "id" BIGINT NOT NULL,
    "snapshot" pg_snapshot NOT NULL,
    "lastUsed" TIMESTAMPTZ NOT NULL,
    "turned" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "RankWalk_pkey" PRIMARY KEY ("id")
);
