-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Event" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "userId" TEXT NOT NULL,
    "eventId" TEXT,
    "kind" TEXT NOT NULL,
    "timestamp" DATETIME NOT NULL,
    "receivedAt" DATETIME NOT NULL,
    "browser" TEXT,
    "os" TEXT,
    "ip" TEXT,
    "ipClass" TEXT,
    "device" TEXT,
    "meta" TEXT NOT NULL,
    "driftScore" INTEGER NOT NULL DEFAULT 0,
    "factors" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "Event_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Event" ("browser", "device", "eventId", "id", "ip", "ipClass", "kind", "meta", "os", "receivedAt", "timestamp", "userId") SELECT "browser", "device", "eventId", "id", "ip", "ipClass", "kind", "meta", "os", "receivedAt", "timestamp", "userId" FROM "Event";
DROP TABLE "Event";
ALTER TABLE "new_Event" RENAME TO "Event";
CREATE INDEX "Event_userId_timestamp_id_idx" ON "Event"("userId", "timestamp", "id");
CREATE UNIQUE INDEX "Event_userId_eventId_key" ON "Event"("userId", "eventId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
