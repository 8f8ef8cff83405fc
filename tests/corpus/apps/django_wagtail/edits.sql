-- A site's own release on top of Django and Wagtail: what a team adds by hand.
ALTER TABLE wagtailcore_page ADD COLUMN seo_keywords text NOT NULL DEFAULT '';
CREATE INDEX wagtailcore_page_live_first_published ON wagtailcore_page (first_published_at DESC) WHERE live;
ALTER TABLE auth_user ALTER COLUMN first_name TYPE varchar(200);
ALTER TABLE wagtailimages_image DROP CONSTRAINT wagtailimages_image_collection_id_c2f8af7e_fk_wagtailco;
ALTER TABLE wagtailimages_image ADD CONSTRAINT wagtailimages_image_collection_id_fk
    FOREIGN KEY (collection_id) REFERENCES wagtailcore_collection (id) ON DELETE CASCADE;
ALTER TABLE wagtailcore_page ADD CONSTRAINT wagtailcore_page_depth_positive CHECK (depth > 0);
DROP TABLE django_flatpage_sites;
ALTER TABLE django_redirect ALTER COLUMN new_path SET DEFAULT '/';
CREATE VIEW published_pages AS
    SELECT id, title, url_path, first_published_at FROM wagtailcore_page WHERE live AND NOT expired;
GRANT SELECT ON published_pages TO corpus_reader;
CREATE FUNCTION touch_latest_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.latest_revision_created_at := now();
    RETURN NEW;
END $$;
CREATE TRIGGER wagtailcore_page_touch BEFORE UPDATE OF title ON wagtailcore_page
    FOR EACH ROW EXECUTE FUNCTION touch_latest_revision();
COMMENT ON TABLE wagtailcore_page IS 'the page tree';
