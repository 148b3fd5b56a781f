-- The writer now keeps changed risk profiles in memory and writes them back
-- in batches; this row says which events the stored profiles already hold.
-- Until now every profile was written with its event: all of them are in.
-- CreateTable
CREATE TABLE "RiskProfileCheckpoint" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "throughEventId" INTEGER NOT NULL
);

INSERT INTO "RiskProfileCheckpoint" ("id", "throughEventId") SELECT 1, coalesce(max("id"), 0) FROM "Event";
