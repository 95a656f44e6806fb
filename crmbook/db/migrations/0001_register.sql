-- crmbook register, version 1 (docs/database.md). Portable SQL: runs on PostgreSQL and SQLite.
-- Values are stored language-neutral: list values in English (SPEC §1), numbers as numbers,
-- dates as dates (ISO text in SQLite). The workbook shows them in its own language.

CREATE TABLE customers (
    customer_id BIGINT PRIMARY KEY,
    company TEXT NOT NULL,
    org_number TEXT,
    status TEXT,
    parent_group TEXT,
    contact_person TEXT,
    title TEXT,
    address TEXT,
    postal_code TEXT,
    city TEXT,
    country TEXT,
    email TEXT,
    phone TEXT,
    industry TEXT,
    turnover_nok DOUBLE PRECISION,
    turnover_band TEXT,
    profitability_pct DOUBLE PRECISION,
    employees BIGINT,
    employee_band TEXT,
    remark TEXT,
    no_marketing TEXT,
    department TEXT,
    account_manager TEXT,
    notes TEXT,
    row_version BIGINT NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL
);
CREATE INDEX customers_department ON customers (department);
CREATE INDEX customers_org_number ON customers (org_number);

CREATE TABLE purchases (
    purchase_id BIGINT PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customers (customer_id),
    purchase_date DATE NOT NULL,
    product TEXT NOT NULL,
    amount_nok DOUBLE PRECISION NOT NULL,
    note TEXT
);
CREATE INDEX purchases_customer ON purchases (customer_id);

CREATE TABLE mailings (
    mailing_id BIGINT PRIMARY KEY,
    campaign TEXT NOT NULL,
    customer_id BIGINT NOT NULL REFERENCES customers (customer_id),
    company TEXT,
    template TEXT,
    date_sent DATE,
    letter_file TEXT,
    response TEXT,
    response_date DATE,
    note TEXT
);
CREATE INDEX mailings_customer ON mailings (customer_id);

CREATE TABLE selections (
    position BIGINT PRIMARY KEY,
    selection TEXT NOT NULL,
    group_no BIGINT,
    field TEXT NOT NULL,
    operator TEXT NOT NULL,
    value TEXT
);

CREATE TABLE settings (
    name TEXT PRIMARY KEY,
    value TEXT
);

CREATE TABLE log (
    log_id BIGINT PRIMARY KEY,
    logged_at TEXT NOT NULL,
    event TEXT NOT NULL,
    source TEXT,
    details TEXT
);
