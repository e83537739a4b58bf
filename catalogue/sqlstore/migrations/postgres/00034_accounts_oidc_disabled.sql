-- Signing in with a council's own identity provider (OpenID Connect, issue 19, docs/oidc.md):
-- the identity (issuer and subject) an account first signed in with is recorded on it, and every
-- later sign-in must bring the same. NULL until then; one account per identity. And an
-- administrator may disable an account (disabled_at; NULL: it may sign in).

-- +goose Up
ALTER TABLE accounts ADD COLUMN oidc_issuer text;
ALTER TABLE accounts ADD COLUMN oidc_subject text;
ALTER TABLE accounts ADD COLUMN disabled_at timestamptz;
CREATE UNIQUE INDEX accounts_oidc ON accounts (oidc_issuer, oidc_subject) WHERE oidc_issuer IS NOT NULL;

-- +goose Down
DROP INDEX accounts_oidc;
ALTER TABLE accounts DROP COLUMN disabled_at;
ALTER TABLE accounts DROP COLUMN oidc_subject;
ALTER TABLE accounts DROP COLUMN oidc_issuer;
