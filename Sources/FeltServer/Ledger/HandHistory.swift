import FeltStore
import Foundation
import PokerEngine

/// One hand as a player who was dealt in may see it: other players' hole cards only where
/// they were shown at showdown, and never the deck order.
public struct VisibleHand: Sendable {
    /// Hand id (tenant-wide).
    public var id: Int64
    /// Table id.
    public var tableID: String
    /// The table's hand counter when it was played.
    public var handNumber: Int
    /// Rake taken.
    public var rake: Int64
    /// ISO-8601 times.
    public var startedAt: String
    public var finishedAt: String
    /// Who played which seat.
    public var players: [Participant]
    /// The redacted record.
    public var record: HandRecord

    /// A dealt-in player.
    public struct Participant: Sendable, Encodable, Equatable {
        public var seat: Int
        public var userID: Int64
        public var username: String
        public var startingStack: Int64
        public var finalStack: Int64
        enum CodingKeys: String, CodingKey {
            case seat, username
            case userID = "user_id"
            case startingStack = "starting_stack"
            case finalStack = "final_stack"
        }
    }
}

/// A line of `GET /api/tables/{id}/hands`.
public struct HandSummary: Sendable, Encodable, Equatable {
    public var id: Int64
    public var tableID: String
    public var handNumber: Int
    public var seat: Int
    public var startingStack: Int64
    public var finalStack: Int64
    public var rake: Int64
    public var finishedAt: String
    enum CodingKeys: String, CodingKey {
        case id, seat, rake
        case tableID = "table_id"
        case handNumber = "hand_number"
        case startingStack = "starting_stack"
        case finalStack = "final_stack"
        case finishedAt = "finished_at"
    }
}

/// Reads of hand records.
public enum HandHistory {
    static let timeFormat = "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'"

    /// The hands `user` was dealt into at `table`, newest first (ids below `before`).
    public static func recent(schema: TenantSchema, pool: PostgresPool, table: String, user: Int64, before: Int64?,
                              limit: Int) async throws(DatabaseError) -> [HandSummary] {
        let rows = try await pool.query("""
            SELECT h.id, h.table_id, h.hand_number, h.rake, p.seat, p.starting_stack, p.final_stack,
                   to_char(h.finished_at AT TIME ZONE 'UTC', \(timeFormat)) AS finished
            FROM \(schema.quoted).hand_participants p
            JOIN \(schema.quoted).hand_records h ON h.id = p.hand_id
            WHERE p.user_id = $1 AND h.table_id = $2 AND ($3::bigint IS NULL OR h.id < $3)
            ORDER BY h.id DESC LIMIT $4
            """, [.int(user), .text(table), before.map { .int($0) } ?? .null, .int(Int64(limit))])
        return try rows.rows.map { row throws(DatabaseError) in
            HandSummary(id: try row.int64("id"), tableID: try row.string("table_id"), handNumber: Int(try row.int64("hand_number")),
                        seat: Int(try row.int64("seat")), startingStack: try row.int64("starting_stack"),
                        finalStack: try row.int64("final_stack"), rake: try row.int64("rake"),
                        finishedAt: try row.string("finished"))
        }
    }

    /// Why a hand cannot be shown.
    public enum Refusal: Error, Sendable { case notFound, notDealtIn, unreadable }

    /// Hand `id` as `user` may see it.
    public static func hand(schema: TenantSchema, pool: PostgresPool, id: Int64,
                            user: Int64) async throws(DatabaseError) -> Result<VisibleHand, Refusal> {
        let rows = try await pool.query("""
            SELECT h.id, h.table_id, h.hand_number, h.rake, h.record,
                   to_char(h.started_at AT TIME ZONE 'UTC', \(timeFormat)) AS started,
                   to_char(h.finished_at AT TIME ZONE 'UTC', \(timeFormat)) AS finished
            FROM \(schema.quoted).hand_records h WHERE h.id = $1
            """, [.int(id)])
        guard let row = rows.first else { return .failure(.notFound) }
        let people = try await pool.query("""
            SELECT seat, user_id, username, starting_stack, final_stack
            FROM \(schema.quoted).hand_participants WHERE hand_id = $1 ORDER BY seat
            """, [.int(id)])
        let players = try people.rows.map { p throws(DatabaseError) in
            VisibleHand.Participant(seat: Int(try p.int64("seat")), userID: try p.int64("user_id"), username: try p.string("username"),
                                    startingStack: try p.int64("starting_stack"), finalStack: try p.int64("final_stack"))
        }
        guard let mine = players.first(where: { $0.userID == user }) else { return .failure(.notDealtIn) }
        guard let record = try? JSONDecoder().decode(HandRecord.self, from: Data(try row.string("record").utf8)) else {
            return .failure(.unreadable)
        }
        return .success(VisibleHand(id: try row.int64("id"), tableID: try row.string("table_id"),
                                    handNumber: Int(try row.int64("hand_number")), rake: try row.int64("rake"),
                                    startedAt: try row.string("started"), finishedAt: try row.string("finished"),
                                    players: players, record: redact(record, viewerSeat: mine.seat)))
    }

    /// The record as the player at `viewerSeat` may see it: other seats' hole cards only when
    /// shown at showdown; mucked showdown hands without cards; no deck order.
    public static func redact(_ record: HandRecord, viewerSeat: Int) -> HandRecord {
        var r = record
        let shown = Set(record.showdown.filter(\.shown).map(\.seat))
        for i in r.seats.indices where r.seats[i].seat != viewerSeat && !shown.contains(r.seats[i].seat) {
            r.seats[i].holeCards = []
        }
        for i in r.showdown.indices where !r.showdown[i].shown && r.showdown[i].seat != viewerSeat {
            r.showdown[i].cards = []
        }
        r.deck = []
        return r
    }

    /// The redacted hand as PHH text (unknown hole cards written `??`, no deck field).
    public static func phh(_ hand: VisibleHand) -> String {
        var names: [Int: String] = [:]
        for p in hand.players { names[p.seat] = p.username }
        var phh = PHHHand(record: hand.record, hand: .integer(Int(hand.id)), playerNames: names)
        let holeCount = hand.record.rules.variant == .plo ? 4 : 2
        phh.actions = phh.actions.map { action in
            if case .dealHole(let player, let cards) = action.kind, cards.isEmpty {
                return PHHAction(.dealHole(player: player, cards: Array(repeating: nil, count: holeCount)))
            }
            return action
        }
        phh.setField(PHHFeltField.deck, nil)
        return phh.phhText
    }
}
