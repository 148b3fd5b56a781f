-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_WebhookMessage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "messageId" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "deliveredAt" DATETIME,
    "droppedAt" DATETIME,
    "lastError" TEXT,
    "alertId" INTEGER,
    CONSTRAINT "WebhookMessage_alertId_fkey" FOREIGN KEY ("alertId") REFERENCES "Alert" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
-- Every message so far tells of an alert (its id is data.id): each is linked to it, and those whose alert
-- is gone (its user deleted, or purged) are not kept.
INSERT INTO "new_WebhookMessage" ("attempts", "body", "createdAt", "deliveredAt", "droppedAt", "id", "lastError", "messageId", "nextAttemptAt", "url", "alertId") SELECT "attempts", "body", "createdAt", "deliveredAt", "droppedAt", "id", "lastError", "messageId", "nextAttemptAt", "url", json_extract("body", '$.data.id') FROM "WebhookMessage" WHERE json_extract("body", '$.data.id') IN (SELECT "id" FROM "Alert");
DROP TABLE "WebhookMessage";
ALTER TABLE "new_WebhookMessage" RENAME TO "WebhookMessage";
CREATE INDEX "WebhookMessage_nextAttemptAt_idx" ON "WebhookMessage"("nextAttemptAt");
CREATE INDEX "WebhookMessage_alertId_idx" ON "WebhookMessage"("alertId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
