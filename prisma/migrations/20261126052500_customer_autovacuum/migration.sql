-- The morning sweep counts each rep's overdue customers from an index alone where the visibility
-- map says a page holds no changed rows, and logging a touch changes a customer: the table is
-- vacuumed after 2% of its rows changed or were added rather than PostgreSQL's default 20%.
ALTER TABLE "Customer" SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_insert_scale_factor = 0.02);
