DROP INDEX "products_created_idx";--> statement-breakpoint
CREATE INDEX "products_active_created_idx" ON "products" USING btree ("created_at","id") WHERE "products"."archived_at" is null;