CREATE TABLE "backup_schedules" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"frequency" text NOT NULL,
	"hour" integer NOT NULL,
	"keep" integer NOT NULL,
	"recipients" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"updated_at" timestamp(6) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "stored_backups" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"trigger" text NOT NULL,
	"slot" timestamp(6) with time zone,
	"status" text DEFAULT 'running' NOT NULL,
	"file_name" text NOT NULL,
	"encrypted" boolean NOT NULL,
	"bytes" bigint,
	"total_rows" bigint,
	"sha256" text,
	"event_id" uuid,
	"created_at" timestamp(6) with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp(6) with time zone,
	"error" text,
	"hook_outcome" text
);
--> statement-breakpoint
ALTER TABLE "backup_events" ADD COLUMN "verified" boolean;--> statement-breakpoint
ALTER TABLE "backup_schedules" ADD CONSTRAINT "backup_schedules_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stored_backups" ADD CONSTRAINT "stored_backups_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stored_backups" ADD CONSTRAINT "stored_backups_event_id_backup_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."backup_events"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "stored_backups_tenant_slot_key" ON "stored_backups" USING btree ("tenant_id","slot");--> statement-breakpoint
CREATE INDEX "stored_backups_tenant_idx" ON "stored_backups" USING btree ("tenant_id","created_at");