/// The migrations of every tenant schema, in version order. Append new steps; never edit
/// a released one.
public enum TenantMigrations {
    /// All steps.
    public static let all: [Migration] = [v1AccountsAndLedger]

    /// The latest version.
    public static var latestVersion: Int { all.last?.version ?? 0 }

    /// v1: users, refresh tokens, revoked access tokens, and the double-entry wallet ledger.
    static let v1AccountsAndLedger = Migration(version: 1, name: "accounts and ledger", sql: """
        CREATE TABLE {{schema}}.users (
            id bigserial PRIMARY KEY,
            username text NOT NULL,
            username_lower text NOT NULL,
            email text,
            password_hash text NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            CONSTRAINT users_username_lower_key UNIQUE (username_lower),
            CONSTRAINT users_username_lower_matches CHECK (username_lower = lower(username))
        );

        CREATE TABLE {{schema}}.refresh_tokens (
            token_hash bytea PRIMARY KEY,
            family_id uuid NOT NULL,
            user_id bigint NOT NULL REFERENCES {{schema}}.users (id) ON DELETE CASCADE,
            issued_at timestamptz NOT NULL DEFAULT now(),
            expires_at timestamptz NOT NULL,
            used_at timestamptz,
            revoked_at timestamptz
        );
        CREATE INDEX refresh_tokens_family_idx ON {{schema}}.refresh_tokens (family_id);
        CREATE INDEX refresh_tokens_user_idx ON {{schema}}.refresh_tokens (user_id);

        CREATE TABLE {{schema}}.revoked_access_tokens (
            jti text PRIMARY KEY,
            user_id bigint,
            expires_at timestamptz NOT NULL,
            revoked_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX revoked_access_tokens_expiry_idx ON {{schema}}.revoked_access_tokens (expires_at);

        CREATE TABLE {{schema}}.ledger_accounts (
            id bigserial PRIMARY KEY,
            kind text NOT NULL CONSTRAINT ledger_accounts_kind CHECK (kind IN ('wallet', 'escrow', 'house', 'issuance')),
            user_id bigint REFERENCES {{schema}}.users (id),
            table_id text,
            balance bigint NOT NULL DEFAULT 0,
            created_at timestamptz NOT NULL DEFAULT now(),
            CONSTRAINT ledger_accounts_balance_nonnegative CHECK (kind = 'issuance' OR balance >= 0),
            CONSTRAINT ledger_accounts_wallet_owner CHECK (kind <> 'wallet' OR (user_id IS NOT NULL AND table_id IS NULL)),
            CONSTRAINT ledger_accounts_escrow_table CHECK (kind <> 'escrow' OR table_id IS NOT NULL)
        );
        CREATE UNIQUE INDEX ledger_accounts_one_wallet ON {{schema}}.ledger_accounts (user_id) WHERE kind = 'wallet';
        CREATE UNIQUE INDEX ledger_accounts_one_system ON {{schema}}.ledger_accounts (kind) WHERE kind IN ('house', 'issuance');
        CREATE UNIQUE INDEX ledger_accounts_one_escrow ON {{schema}}.ledger_accounts (table_id, coalesce(user_id, 0)) WHERE kind = 'escrow';
        INSERT INTO {{schema}}.ledger_accounts (kind) VALUES ('issuance'), ('house');

        CREATE TABLE {{schema}}.journal_entries (
            id bigserial PRIMARY KEY,
            kind text NOT NULL,
            reference text,
            idempotency_key text UNIQUE,
            created_at timestamptz NOT NULL DEFAULT now()
        );

        CREATE TABLE {{schema}}.postings (
            id bigserial PRIMARY KEY,
            entry_id bigint NOT NULL REFERENCES {{schema}}.journal_entries (id),
            account_id bigint NOT NULL REFERENCES {{schema}}.ledger_accounts (id),
            amount bigint NOT NULL CONSTRAINT postings_amount_nonzero CHECK (amount <> 0)
        );
        CREATE INDEX postings_entry_idx ON {{schema}}.postings (entry_id);
        CREATE INDEX postings_account_idx ON {{schema}}.postings (account_id);

        -- Every posting moves its account's balance, in the same transaction.
        CREATE FUNCTION {{schema}}.apply_posting() RETURNS trigger LANGUAGE plpgsql
        SET search_path = pg_catalog AS $fn$
        BEGIN
            UPDATE {{schema}}.ledger_accounts SET balance = balance + NEW.amount WHERE id = NEW.account_id;
            RETURN NEW;
        END
        $fn$;
        CREATE TRIGGER postings_apply AFTER INSERT ON {{schema}}.postings
            FOR EACH ROW EXECUTE FUNCTION {{schema}}.apply_posting();

        -- At commit, each entry's postings must sum to zero.
        CREATE FUNCTION {{schema}}.check_entry_balanced() RETURNS trigger LANGUAGE plpgsql
        SET search_path = pg_catalog AS $fn$
        BEGIN
            IF (SELECT sum(amount) FROM {{schema}}.postings WHERE entry_id = NEW.entry_id) <> 0 THEN
                RAISE EXCEPTION 'journal entry % does not balance', NEW.entry_id
                    USING ERRCODE = 'check_violation', CONSTRAINT = 'postings_entry_balanced';
            END IF;
            RETURN NULL;
        END
        $fn$;
        CREATE CONSTRAINT TRIGGER postings_balanced AFTER INSERT ON {{schema}}.postings
            DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {{schema}}.check_entry_balanced();

        -- The journal is append-only.
        CREATE FUNCTION {{schema}}.reject_journal_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
            RAISE EXCEPTION 'the journal is append-only' USING ERRCODE = 'check_violation', CONSTRAINT = 'journal_append_only';
        END
        $fn$;
        CREATE TRIGGER postings_append_only BEFORE UPDATE OR DELETE ON {{schema}}.postings
            FOR EACH ROW EXECUTE FUNCTION {{schema}}.reject_journal_change();
        CREATE TRIGGER journal_entries_append_only BEFORE UPDATE OR DELETE ON {{schema}}.journal_entries
            FOR EACH ROW EXECUTE FUNCTION {{schema}}.reject_journal_change();
        """)
}
