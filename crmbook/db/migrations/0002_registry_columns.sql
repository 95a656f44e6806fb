-- crmbook register, version 2 (issue 17): the Customers columns the Brønnøysund registers fill.
-- Industry code (NACE/SN2007, dd.ddd) and its text, organisation form (AS, ENK ...) and its
-- text, and the accounting year the turnover is from. Existing rows get blanks.

ALTER TABLE customers ADD COLUMN industry_code TEXT;
ALTER TABLE customers ADD COLUMN industry_text TEXT;
ALTER TABLE customers ADD COLUMN org_form TEXT;
ALTER TABLE customers ADD COLUMN org_form_text TEXT;
ALTER TABLE customers ADD COLUMN turnover_year BIGINT;
CREATE INDEX customers_industry_code ON customers (industry_code);
