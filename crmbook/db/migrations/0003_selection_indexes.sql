-- crmbook register, version 3: indexes for selections computed by the database
-- (docs/database.md). Every selection reads the distinct values of No marketing (the
-- reservation) and of the editable lists (Industry, Product); a criterion on a list field reads
-- those of its field. An index gives them without reading the whole table.

CREATE INDEX customers_no_marketing ON customers (no_marketing);
CREATE INDEX customers_industry ON customers (industry);
CREATE INDEX customers_remark ON customers (remark);
CREATE INDEX customers_status ON customers (status);
CREATE INDEX purchases_product ON purchases (product);
CREATE INDEX mailings_campaign ON mailings (campaign);
