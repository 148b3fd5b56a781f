-- CreateTable
CREATE TABLE "WebhookMessage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "messageId" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "deliveredAt" DATETIME,
    "droppedAt" DATETIME,
    "lastError" TEXT
);

-- CreateIndex
CREATE INDEX "WebhookMessage_nextAttemptAt_idx" ON "WebhookMessage"("nextAttemptAt");
