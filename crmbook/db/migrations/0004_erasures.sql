-- crmbook register, version 4: erasures (docs/database.md, "Erasing a customer").
-- An erased customer's rows are deleted; a tombstone stays so that no later push or sync adds
-- them again unnoticed. A tombstone holds no personal data: keyed hashes (HMAC-SHA256) of the
-- org number and of the company name with postal code, made with a key in erasure_keys (the
-- register's own, or one a workbook's erasures were made with), as on a workbook's Log sheet.

CREATE TABLE erasure_keys (
    key_id TEXT PRIMARY KEY,
    secret TEXT NOT NULL,
    source TEXT,
    added_at TEXT NOT NULL
);

CREATE TABLE tombstones (
    tombstone_id BIGINT PRIMARY KEY,
    key_id TEXT NOT NULL,
    org_hash TEXT,
    name_hash TEXT,
    erased_on DATE,
    source TEXT,
    added_at TEXT NOT NULL
);

-- The highest Customer ID ever erased: new customers are numbered past it, so an ID a stale
-- workbook still holds for an erased customer never names another one.
INSERT INTO settings (name, value) VALUES ('crmbook.erased_up_to', '0');
