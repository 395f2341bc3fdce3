/// The migrations of every tenant schema, in version order. Append new steps; never edit
/// a released one.
public enum TenantMigrations {
    /// All steps.
    public static let all: [Migration] = [v1AccountsAndLedger, v2HandHistory]

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

    /// v2: hand records with their participants, and stored `Idempotency-Key` responses.
    ///
    /// Written with `IF NOT EXISTS` throughout: databases from before this step created the same
    /// tables outside the numbered migrations at start-up, and must migrate without an error.
    static let v2HandHistory = Migration(version: 2, name: "hand history and idempotency keys", sql: """
        CREATE TABLE IF NOT EXISTS {{schema}}.hand_records (
            id bigserial PRIMARY KEY,
            table_id text NOT NULL,
            hand_number integer NOT NULL,
            rake bigint NOT NULL CONSTRAINT hand_records_rake_nonnegative CHECK (rake >= 0),
            record text NOT NULL,
            entry_id bigint REFERENCES {{schema}}.journal_entries (id),
            started_at timestamptz NOT NULL,
            finished_at timestamptz NOT NULL
        );
        CREATE INDEX IF NOT EXISTS hand_records_table_idx ON {{schema}}.hand_records (table_id, id DESC);

        CREATE TABLE IF NOT EXISTS {{schema}}.hand_participants (
            hand_id bigint NOT NULL REFERENCES {{schema}}.hand_records (id),
            user_id bigint NOT NULL REFERENCES {{schema}}.users (id),
            seat integer NOT NULL,
            username text NOT NULL,
            starting_stack bigint NOT NULL,
            final_stack bigint NOT NULL,
            PRIMARY KEY (hand_id, user_id)
        );
        CREATE INDEX IF NOT EXISTS hand_participants_user_idx ON {{schema}}.hand_participants (user_id, hand_id DESC);

        CREATE TABLE IF NOT EXISTS {{schema}}.idempotency_keys (
            user_id bigint NOT NULL REFERENCES {{schema}}.users (id),
            key text NOT NULL,
            request_hash text NOT NULL,
            state text NOT NULL CONSTRAINT idempotency_keys_state CHECK (state IN ('running', 'done')),
            response_status integer,
            response_body text,
            created_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (user_id, key)
        );
        CREATE INDEX IF NOT EXISTS idempotency_keys_created_idx ON {{schema}}.idempotency_keys (created_at);
        """)
}
