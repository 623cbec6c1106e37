-- deploytrack schema version 7: a deployment's checks may be its declared stages (sourcebuild, then sourcedeploy),
-- run one after the other in position order; a stage whose reference is not known yet has an empty source_ref.
-- Additive: existing checks are not stages, as before. V6 belongs to another change.
ALTER TABLE deployment_checks ADD COLUMN is_stage BOOLEAN NOT NULL DEFAULT FALSE;
