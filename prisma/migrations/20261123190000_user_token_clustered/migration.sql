-- UserToken becomes a WITHOUT ROWID table clustered on its primary key
-- (userId, dimension, value): a user's tokens sit together on a few pages
-- instead of being scattered over the table in arrival order, and an upsert
-- touches one B-tree instead of a table plus its key index. Prisma cannot
-- express WITHOUT ROWID in schema.prisma; a later migration that redefines
-- this table must keep it (see the note on the model).
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_UserToken" (
    "userId" TEXT NOT NULL,
    "dimension" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "firstSeen" DATETIME NOT NULL,
    "lastSeen" DATETIME NOT NULL,

    PRIMARY KEY ("userId", "dimension", "value"),
    CONSTRAINT "UserToken_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
) WITHOUT ROWID;
INSERT INTO "new_UserToken" ("userId", "dimension", "value", "count", "firstSeen", "lastSeen")
  SELECT "userId", "dimension", "value", "count", "firstSeen", "lastSeen" FROM "UserToken";
DROP TABLE "UserToken";
ALTER TABLE "new_UserToken" RENAME TO "UserToken";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
