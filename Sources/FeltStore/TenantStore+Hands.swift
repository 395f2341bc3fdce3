/// One finished hand for `TenantStore.recordHands`: the chips it moved between the table's
/// escrows, the rake, and the record with its participants.
public struct HandWrite: Sendable, Equatable {
    /// One player dealt in.
    public struct Participant: Sendable, Equatable {
        /// The user.
        public var userID: Int64
        /// Seat index.
        public var seat: Int
        /// Username at the time of the hand.
        public var username: String
        /// Stack at the start and at the end of the hand.
        public var startingStack: Int64
        public var finalStack: Int64

        /// A participant.
        public init(userID: Int64, seat: Int, username: String, startingStack: Int64, finalStack: Int64) {
            self.userID = userID
            self.seat = seat
            self.username = username
            self.startingStack = startingStack
            self.finalStack = finalStack
        }

        /// `finalStack - startingStack`: what the hand moved into (or out of) the player's escrow.
        public var delta: Int64 { finalStack - startingStack }
    }

    /// The table; its players' escrow accounts are `(tableID, user)`.
    public var tableID: String
    /// The table's hand counter.
    public var handNumber: Int
    /// Chips to the house account.
    public var rake: Int64
    /// The hand record (JSON text), stored as is.
    public var record: String
    /// Unix milliseconds.
    public var startedAt: Int64
    public var finishedAt: Int64
    /// Every player dealt in; those whose stack changed get a posting on their escrow.
    public var participants: [Participant]

    /// A hand to write.
    public init(tableID: String, handNumber: Int, rake: Int64, record: String, startedAt: Int64, finishedAt: Int64,
                participants: [Participant]) {
        self.tableID = tableID
        self.handNumber = handNumber
        self.rake = rake
        self.record = record
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.participants = participants
    }

    /// Whether the hand moves chips (and so gets a journal entry).
    public var movesChips: Bool { rake != 0 || participants.contains { $0.delta != 0 } }

    /// Checks the money rules a hand must keep before it is sent: a non-negative rake, and
    /// stack changes plus rake that sum to zero (chips only move between the table's escrows
    /// and to the house). The database checks the same at commit.
    public func validate() throws(DatabaseError) {
        guard rake >= 0 else { throw DatabaseError(.unbalancedEntry, "hand \(handNumber) of table \(tableID): negative rake \(rake)") }
        var sum = rake
        for participant in participants {
            let (next, overflow) = sum.addingReportingOverflow(participant.delta)
            guard !overflow else { throw DatabaseError(.unbalancedEntry, "hand \(handNumber) of table \(tableID): amounts overflow") }
            sum = next
        }
        guard sum == 0 else {
            throw DatabaseError(.unbalancedEntry, "hand \(handNumber) of table \(tableID): stack changes and rake sum to \(sum), not zero")
        }
    }
}

extension TenantStore {
    /// Writes finished hands in ONE statement (so one round trip and, outside a transaction,
    /// one atomic commit for all of them): per hand that moves chips a journal entry `hand`
    /// (reference `table:<id>#<number>`) with a posting per changed escrow and one to the
    /// house for the rake, the hand record pointing at that entry, and its participants.
    ///
    /// The same rules hold as for `postEntry`: postings are balanced (checked here and by the
    /// deferred trigger at commit), move the balances through the posting trigger in account
    /// order (no deadlocks between writers), and a balance going below zero fails the whole
    /// statement (`insufficient_funds`); a player without an escrow at the table fails it
    /// with `not_found`. Either every hand is written or none is. Returns the hand record ids
    /// in the order given.
    public func recordHands(tenant schema: TenantSchema, _ hands: [HandWrite]) async throws(DatabaseError) -> [Int64] {
        guard !hands.isEmpty else { return [] }
        for hand in hands { try hand.validate() }
        var moves: (hand: [String], user: [String], amount: [String]) = ([], [], [])
        var people: (hand: [String], user: [String], seat: [String], name: [String], start: [String], end: [String])
            = ([], [], [], [], [], [])
        for (index, hand) in hands.enumerated() {
            let n = String(index + 1)
            for p in hand.participants {
                if p.delta != 0 {
                    moves.hand.append(n); moves.user.append(String(p.userID)); moves.amount.append(String(p.delta))
                }
                people.hand.append(n); people.user.append(String(p.userID)); people.seat.append(String(p.seat))
                people.name.append(p.username); people.start.append(String(p.startingStack)); people.end.append(String(p.finalStack))
            }
        }
        let parameters: [PostgresValue] = [
            .text(PostgresArray.text(hands.map(\.tableID))), .text(PostgresArray.numbers(hands.map { String($0.handNumber) })),
            .text(PostgresArray.numbers(hands.map { String($0.rake) })), .text(PostgresArray.text(hands.map(\.record))),
            .text(PostgresArray.numbers(hands.map { String($0.startedAt) })),
            .text(PostgresArray.numbers(hands.map { String($0.finishedAt) })),
            .text(PostgresArray.numbers(hands.map { $0.movesChips ? "t" : "f" })),
            .text(PostgresArray.numbers(moves.hand)), .text(PostgresArray.numbers(moves.user)), .text(PostgresArray.numbers(moves.amount)),
            .text(PostgresArray.numbers(people.hand)), .text(PostgresArray.numbers(people.user)),
            .text(PostgresArray.numbers(people.seat)), .text(PostgresArray.text(people.name)),
            .text(PostgresArray.numbers(people.start)), .text(PostgresArray.numbers(people.end)),
        ]
        let result: QueryResult
        do {
            result = try await forTenant(schema) { () throws(DatabaseError) in
                try await pool.query(Self.recordHandsSQL(schema), parameters)
            }
        } catch where error.constraint == "ledger_accounts_balance_nonnegative" {
            throw DatabaseError(.insufficientFunds, "insufficient funds", sqlState: error.sqlState, constraint: error.constraint)
        } catch where error.sqlState == "23502" {
            throw DatabaseError(.notFound, "a hand names a player without an escrow account at its table: \(error.message)",
                                sqlState: error.sqlState, constraint: error.constraint)
        }
        let ids = try result.rows.map { row throws(DatabaseError) in try row.int64("hand_id") }
        guard ids.count == hands.count else {
            throw DatabaseError(.queryFailed, "hand write returned \(ids.count) rows for \(hands.count) hands")
        }
        return ids
    }

    /// The statement behind `recordHands`. Ids of entries and records are drawn from their
    /// sequences up front (a materialized CTE evaluates each `nextval` once per row), so the
    /// dependent rows can be inserted in sibling CTEs; foreign keys and the deferred balance
    /// check run at the end of the statement and at commit, and see all of them.
    static func recordHandsSQL(_ schema: TenantSchema) -> String {
        let s = schema.quoted
        // The quoted schema name is `"tenant_[a-z0-9_]+"` (validated), safe inside a literal.
        return """
            WITH hands AS MATERIALIZED (
                SELECT h.n, h.table_id, h.hand_number, h.rake, h.record, h.started, h.finished,
                       nextval('\(s).hand_records_id_seq') AS hand_id,
                       CASE WHEN h.moves THEN nextval('\(s).journal_entries_id_seq') END AS entry_id
                FROM unnest($1::text[], $2::int[], $3::bigint[], $4::text[], $5::bigint[], $6::bigint[], $7::bool[])
                     WITH ORDINALITY AS h(table_id, hand_number, rake, record, started, finished, moves, n)
            ), moves AS (
                SELECT h.entry_id, a.id AS account_id, m.amount
                FROM unnest($8::int[], $9::bigint[], $10::bigint[]) AS m(n, user_id, amount)
                JOIN hands h ON h.n = m.n
                -- Matches the unique index ledger_accounts_one_escrow (table_id, coalesce(user_id, 0)).
                LEFT JOIN \(s).ledger_accounts a
                       ON a.kind = 'escrow' AND a.table_id = h.table_id AND coalesce(a.user_id, 0) = m.user_id
                UNION ALL
                SELECT h.entry_id, (SELECT id FROM \(s).ledger_accounts WHERE kind = 'house'), h.rake
                FROM hands h WHERE h.rake > 0
            ), entries AS (
                INSERT INTO \(s).journal_entries (id, kind, reference)
                SELECT entry_id, 'hand', 'table:' || table_id || '#' || hand_number FROM hands WHERE entry_id IS NOT NULL
            ), posted AS (
                INSERT INTO \(s).postings (entry_id, account_id, amount)
                SELECT entry_id, account_id, amount FROM moves ORDER BY account_id, entry_id
            ), records AS (
                INSERT INTO \(s).hand_records (id, table_id, hand_number, rake, record, entry_id, started_at, finished_at)
                SELECT hand_id, table_id, hand_number, rake, record, entry_id,
                       to_timestamp(started::float8 / 1000), to_timestamp(finished::float8 / 1000)
                FROM hands
            ), participants AS (
                INSERT INTO \(s).hand_participants (hand_id, user_id, seat, username, starting_stack, final_stack)
                SELECT h.hand_id, p.user_id, p.seat, p.username, p.a, p.b
                FROM unnest($11::int[], $12::bigint[], $13::int[], $14::text[], $15::bigint[], $16::bigint[])
                     AS p(n, user_id, seat, username, a, b)
                JOIN hands h ON h.n = p.n
                ON CONFLICT DO NOTHING
            )
            SELECT n, hand_id, entry_id FROM hands ORDER BY n
            """
    }
}

/// Array literals for `unnest($n::type[])` parameters: many rows in one statement, values
/// still only passed as parameters.
public enum PostgresArray {
    /// `{1,2,3}`: elements that need no quoting (numbers, `t`/`f`).
    public static func numbers(_ items: [String]) -> String { "{" + items.joined(separator: ",") + "}" }

    /// `{"a","b"}`: every element double-quoted, with `"` and `\` escaped (both ASCII, so
    /// they never occur inside a multi-byte UTF-8 sequence and bytes can be copied as they are).
    public static func text(_ items: [String]) -> String {
        var bytes: [UInt8] = [UInt8(ascii: "{")]
        bytes.reserveCapacity(items.reduce(2) { $0 + $1.utf8.count + 3 })
        for (index, item) in items.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(UInt8(ascii: "\""))
            for byte in item.utf8 {
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { bytes.append(UInt8(ascii: "\\")) }
                bytes.append(byte)
            }
            bytes.append(UInt8(ascii: "\""))
        }
        bytes.append(UInt8(ascii: "}"))
        return String(decoding: bytes, as: UTF8.self)
    }
}
