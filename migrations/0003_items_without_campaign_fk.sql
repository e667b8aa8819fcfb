ALTER TABLE "items" DROP CONSTRAINT "items_campaign_id_campaigns_id_fk";
