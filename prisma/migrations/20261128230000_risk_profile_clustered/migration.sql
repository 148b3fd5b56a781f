-- UserRiskProfile becomes a WITHOUT ROWID table keyed by userId, like
-- UserToken: the profile is read and written with every event, and a rowid
-- table made each of those a lookup in the key index and then in the table.
-- Prisma cannot express WITHOUT ROWID in schema.prisma; a later migration
-- that redefines this table must keep it (see the note on the model).
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_UserRiskProfile" (
    "userId" TEXT NOT NULL PRIMARY KEY,
    "profile" TEXT NOT NULL,
    CONSTRAINT "UserRiskProfile_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
) WITHOUT ROWID;
INSERT INTO "new_UserRiskProfile" ("userId", "profile") SELECT "userId", "profile" FROM "UserRiskProfile";
DROP TABLE "UserRiskProfile";
ALTER TABLE "new_UserRiskProfile" RENAME TO "UserRiskProfile";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
