-- The host's deployment_histories as its SQLAlchemy model creates it on PostgreSQL (a FastAPI PaaS backend):
-- naive TIMESTAMP WITHOUT TIME ZONE text in local time (KST), one status and duration column per pipeline stage.
CREATE TABLE deployment_histories (
 id SERIAL NOT NULL, user_id VARCHAR(255) NOT NULL,
 github_owner VARCHAR(255) NOT NULL, github_repo VARCHAR(255) NOT NULL,
 github_commit_sha VARCHAR(255), github_commit_message TEXT,
 github_commit_author VARCHAR(255), github_commit_url VARCHAR(500),
 sourcecommit_project_id VARCHAR(255), sourcecommit_repo_name VARCHAR(255),
 sourcebuild_project_id VARCHAR(255), sourcedeploy_project_id VARCHAR(255),
 build_id VARCHAR(255), deploy_id VARCHAR(255), status VARCHAR(50) NOT NULL,
 sourcecommit_status VARCHAR(50), sourcebuild_status VARCHAR(50), sourcedeploy_status VARCHAR(50),
 image_name VARCHAR(500), image_tag VARCHAR(100), image_url VARCHAR(500),
 cluster_id VARCHAR(255), cluster_name VARCHAR(255), namespace VARCHAR(255),
 started_at TIMESTAMP WITHOUT TIME ZONE NOT NULL, completed_at TIMESTAMP WITHOUT TIME ZONE, deployed_at TIMESTAMP WITHOUT TIME ZONE,
 created_at TIMESTAMP WITHOUT TIME ZONE, updated_at TIMESTAMP WITHOUT TIME ZONE, total_duration INTEGER,
 sourcecommit_duration INTEGER, sourcebuild_duration INTEGER, sourcedeploy_duration INTEGER,
 error_message TEXT, error_stage VARCHAR(50), webhook_payload TEXT,
 auto_deploy_enabled BOOLEAN, is_rollback BOOLEAN NOT NULL, rollback_from_id INTEGER,
 PRIMARY KEY (id));
CREATE INDEX ix_deployment_histories_user_id ON deployment_histories (user_id);
CREATE INDEX ix_deployment_histories_id ON deployment_histories (id);
