-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "eventCount" INTEGER NOT NULL DEFAULT 0,
    "firstSeen" TIMESTAMP(3) NOT NULL,
    "lastSeen" TIMESTAMP(3) NOT NULL,
    "ipClassCount" INTEGER NOT NULL DEFAULT 0,
    "osCount" INTEGER NOT NULL DEFAULT 0,
    "browserCount" INTEGER NOT NULL DEFAULT 0,
    "deviceCount" INTEGER NOT NULL DEFAULT 0,
    "habitualBrowser" TEXT,
    "habitualBrowserCount" INTEGER NOT NULL DEFAULT 0,
    "habitualOs" TEXT,
    "habitualOsCount" INTEGER NOT NULL DEFAULT 0,
    "habitualDevice" TEXT,
    "habitualDeviceCount" INTEGER NOT NULL DEFAULT 0,
    "habitualIpClass" TEXT,
    "habitualIpClassCount" INTEGER NOT NULL DEFAULT 0,
    "fingerprint" TEXT NOT NULL,
    "stability" DOUBLE PRECISION NOT NULL DEFAULT 100,
    "latestEventId" INTEGER,
    "latestAt" TIMESTAMP(3),
    "latestBrowser" TEXT,
    "latestOs" TEXT,
    "latestDevice" TEXT,
    "latestIpClass" TEXT,
    "previousEventId" INTEGER,
    "previousAt" TIMESTAMP(3),
    "previousDevice" TEXT,
    "driftScore" INTEGER NOT NULL DEFAULT 0,
    "risk" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "riskAt" TIMESTAMP(3),
    "alertLevel" INTEGER NOT NULL DEFAULT 0,
    "verdict" TEXT,
    "attention" INTEGER NOT NULL DEFAULT 0,
    "riskKey" DOUBLE PRECISION NOT NULL DEFAULT -1000000000,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Event" (
    "id" SERIAL NOT NULL,
    "userId" TEXT NOT NULL,
    "eventId" TEXT,
    "kind" TEXT NOT NULL,
    "timestamp" TIMESTAMP(3) NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL,
    "browser" TEXT,
    "os" TEXT,
    "ip" TEXT,
    "ipClass" TEXT,
    "device" TEXT,
    "meta" TEXT NOT NULL,
    "driftScore" INTEGER NOT NULL DEFAULT 0,
    "factors" INTEGER NOT NULL DEFAULT 0,
    "risk" INTEGER NOT NULL DEFAULT 0,
    "signals" TEXT,

    CONSTRAINT "Event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UserToken" (
    "userId" TEXT NOT NULL,
    "dimension" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "firstSeen" TIMESTAMP(3) NOT NULL,
    "lastSeen" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "UserToken_pkey" PRIMARY KEY ("userId","dimension","value")
);

-- CreateTable
CREATE TABLE "UserRiskProfile" (
    "userId" TEXT NOT NULL,
    "profile" TEXT NOT NULL,

    CONSTRAINT "UserRiskProfile_pkey" PRIMARY KEY ("userId")
);

-- CreateTable
CREATE TABLE "RiskProfileCheckpoint" (
    "id" INTEGER NOT NULL,
    "throughEventId" INTEGER NOT NULL,

    CONSTRAINT "RiskProfileCheckpoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Alert" (
    "id" SERIAL NOT NULL,
    "userId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "score" INTEGER NOT NULL,
    "level" TEXT NOT NULL,
    "signals" TEXT NOT NULL,
    "firstEventId" INTEGER NOT NULL,
    "lastEventId" INTEGER NOT NULL,
    "firstAt" TIMESTAMP(3) NOT NULL,
    "lastAt" TIMESTAMP(3) NOT NULL,
    "events" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "note" TEXT,
    "assignee" TEXT,

    CONSTRAINT "Alert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiKey" (
    "id" SERIAL NOT NULL,
    "prefix" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "name" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "lastUsedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "ApiKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEntry" (
    "id" SERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "details" TEXT,

    CONSTRAINT "AuditEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookMessage" (
    "id" SERIAL NOT NULL,
    "messageId" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "deliveredAt" TIMESTAMP(3),
    "droppedAt" TIMESTAMP(3),
    "lastError" TEXT,
    "alertId" INTEGER,

    CONSTRAINT "WebhookMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrustEntry" (
    "id" SERIAL NOT NULL,
    "userId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "createdBy" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "removedAt" TIMESTAMP(3),
    "removedBy" TEXT,

    CONSTRAINT "TrustEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AllowListEntry" (
    "id" SERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "createdBy" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "removedAt" TIMESTAMP(3),
    "removedBy" TEXT,

    CONSTRAINT "AllowListEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AlertFeedback" (
    "id" SERIAL NOT NULL,
    "userId" TEXT NOT NULL,
    "alertId" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "lowers" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "createdBy" TEXT NOT NULL,
    "until" TIMESTAMP(3) NOT NULL,
    "undoneAt" TIMESTAMP(3),
    "undoneBy" TEXT,

    CONSTRAINT "AlertFeedback_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "User_driftScore_id_idx" ON "User"("driftScore", "id");

-- CreateIndex
CREATE INDEX "User_lastSeen_id_idx" ON "User"("lastSeen", "id");

-- CreateIndex
CREATE INDEX "User_eventCount_id_idx" ON "User"("eventCount", "id");

-- CreateIndex
CREATE INDEX "User_attention_riskKey_id_idx" ON "User"("attention", "riskKey", "id");

-- CreateIndex
CREATE INDEX "Event_userId_timestamp_id_idx" ON "Event"("userId", "timestamp", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Event_userId_eventId_key" ON "Event"("userId", "eventId");

-- CreateIndex
CREATE INDEX "Alert_status_id_idx" ON "Alert"("status", "id");

-- CreateIndex
CREATE INDEX "Alert_userId_status_idx" ON "Alert"("userId", "status");

-- CreateIndex
CREATE INDEX "Alert_score_id_idx" ON "Alert"("score", "id");

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_hash_key" ON "ApiKey"("hash");

-- CreateIndex
CREATE INDEX "AuditEntry_at_idx" ON "AuditEntry"("at");

-- CreateIndex
CREATE INDEX "WebhookMessage_nextAttemptAt_idx" ON "WebhookMessage"("nextAttemptAt");

-- CreateIndex
CREATE INDEX "WebhookMessage_alertId_idx" ON "WebhookMessage"("alertId");

-- CreateIndex
CREATE INDEX "TrustEntry_userId_idx" ON "TrustEntry"("userId");

-- CreateIndex
CREATE INDEX "AlertFeedback_userId_idx" ON "AlertFeedback"("userId");

-- CreateIndex
CREATE INDEX "AlertFeedback_alertId_idx" ON "AlertFeedback"("alertId");

-- AddForeignKey
ALTER TABLE "Event" ADD CONSTRAINT "Event_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UserToken" ADD CONSTRAINT "UserToken_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UserRiskProfile" ADD CONSTRAINT "UserRiskProfile_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Alert" ADD CONSTRAINT "Alert_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookMessage" ADD CONSTRAINT "WebhookMessage_alertId_fkey" FOREIGN KEY ("alertId") REFERENCES "Alert"("id") ON DELETE CASCADE ON UPDATE CASCADE;
