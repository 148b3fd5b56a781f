-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "eventCount" INTEGER NOT NULL DEFAULT 0,
    "firstSeen" DATETIME NOT NULL,
    "lastSeen" DATETIME NOT NULL,
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
    "stability" REAL NOT NULL DEFAULT 100,
    "latestEventId" INTEGER,
    "latestAt" DATETIME,
    "latestBrowser" TEXT,
    "latestOs" TEXT,
    "latestDevice" TEXT,
    "latestIpClass" TEXT,
    "previousEventId" INTEGER,
    "previousAt" DATETIME,
    "previousDevice" TEXT,
    "driftScore" INTEGER NOT NULL DEFAULT 0
);

-- CreateTable
CREATE TABLE "Event" (
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
    CONSTRAINT "Event_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "UserToken" (
    "userId" TEXT NOT NULL,
    "dimension" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "firstSeen" DATETIME NOT NULL,
    "lastSeen" DATETIME NOT NULL,

    PRIMARY KEY ("userId", "dimension", "value"),
    CONSTRAINT "UserToken_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "User_driftScore_id_idx" ON "User"("driftScore", "id");

-- CreateIndex
CREATE INDEX "User_lastSeen_id_idx" ON "User"("lastSeen", "id");

-- CreateIndex
CREATE INDEX "User_eventCount_id_idx" ON "User"("eventCount", "id");

-- CreateIndex
CREATE INDEX "Event_userId_timestamp_id_idx" ON "Event"("userId", "timestamp", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Event_userId_eventId_key" ON "Event"("userId", "eventId");
