import FeltTables
import PokerEngine

/// `POST /api/tables/{id}/join` body.
struct JoinRequest: Decodable, Sendable {
    let buyInAmount: Int64?
    let passphrase: String?
    enum CodingKeys: String, CodingKey {
        case buyInAmount = "buy_in_amount"
        case passphrase
    }
}

/// `POST /api/tables/{id}/join` → 200.
struct JoinResponse: Encodable, Sendable {
    let tableID: String
    let seat: Int
    let stack: Int
    let balance: Int64
    enum CodingKeys: String, CodingKey {
        case tableID = "table_id"
        case seat, stack, balance
    }
}

/// `POST /api/tables/{id}/leave` → 200.
struct LeaveResponse: Encodable, Sendable {
    let tableID: String
    let returned: Int
    let balance: Int64
    let paidAtHandEnd: Bool
    enum CodingKeys: String, CodingKey {
        case tableID = "table_id"
        case returned, balance
        case paidAtHandEnd = "paid_at_hand_end"
    }
}

/// A table in the lobby (`GET /api/tables`) and, with `seat_map`, in `GET /api/tables/{id}`.
struct LobbyTable: Encodable, Sendable {
    let id: String
    let name: String
    let variant: String
    let smallBlind: Int
    let bigBlind: Int
    let ante: Int
    let anteType: String
    let buyInMin: Int
    let buyInMax: Int
    let seats: Int
    let seated: Int
    let spectators: Int
    let isPrivate: Bool
    let status: String
    let handNumber: Int
    let seatMap: [SeatEntry]?

    struct SeatEntry: Encodable, Sendable {
        let seat: Int
        let username: String
        let stack: Int
        let sittingOut: Bool
        let connected: Bool
        enum CodingKeys: String, CodingKey {
            case seat, username, stack
            case sittingOut = "sitting_out"
            case connected
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, name, variant, ante, seats, seated, spectators, status
        case smallBlind = "small_blind"
        case bigBlind = "big_blind"
        case anteType = "ante_type"
        case buyInMin = "buy_in_min"
        case buyInMax = "buy_in_max"
        case isPrivate = "private"
        case handNumber = "hand_number"
        case seatMap = "seat_map"
    }

    init(_ s: TableSnapshot, withSeats: Bool) {
        id = s.tableID
        name = s.name
        variant = s.variant.rawValue
        smallBlind = s.smallBlind
        bigBlind = s.bigBlind
        ante = s.ante.amount
        switch s.ante {
        case .none: anteType = "none"
        case .perPlayer: anteType = "per_player"
        case .bigBlind: anteType = "big_blind"
        }
        buyInMin = s.buyInMin
        buyInMax = s.buyInMax
        seats = s.seatCount
        seated = s.seatedCount
        spectators = s.spectatorCount
        isPrivate = s.isPrivate
        status = s.status.rawValue
        handNumber = s.handNumber
        seatMap = withSeats ? s.seats.map {
            SeatEntry(seat: $0.seat, username: $0.username, stack: $0.stack, sittingOut: $0.isSittingOut, connected: $0.isConnected)
        } : nil
    }
}

/// `{"tables":[…]}`.
struct LobbyResponse: Encodable, Sendable {
    let tables: [LobbyTable]
}

/// `GET /api/wallet`.
struct WalletResponse: Encodable, Sendable {
    let balance: Int64
    let chipName: String
    enum CodingKeys: String, CodingKey {
        case balance
        case chipName = "chip_name"
    }
}

/// `GET /api/wallet/ledger`: one page of entries, newest first, plus `next_cursor`.
struct WalletLedgerResponse: Encodable, Sendable {
    let entries: [WalletEntry]
    let nextCursor: Int64?
    enum CodingKeys: String, CodingKey {
        case entries
        case nextCursor = "next_cursor"
    }
}

/// `GET /api/tables/{id}/hands`.
struct HandListResponse: Encodable, Sendable {
    let hands: [HandSummary]
    let nextCursor: Int64?
    enum CodingKeys: String, CodingKey {
        case hands
        case nextCursor = "next_cursor"
    }
}

/// `GET /api/hands/{id}`.
struct HandResponse: Encodable, Sendable {
    let id: Int64
    let tableID: String
    let handNumber: Int
    let rake: Int64
    let startedAt: String
    let finishedAt: String
    let players: [VisibleHand.Participant]
    let record: HandRecord
    enum CodingKeys: String, CodingKey {
        case id, rake, players, record
        case tableID = "table_id"
        case handNumber = "hand_number"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
    }
}

extension TableError {
    /// The HTTP status for this refusal.
    var httpStatus: Int {
        switch self {
        case .tableFull, .alreadySeated, .notSeated, .tableClosed, .notYourTurn: 409
        case .invalidBuyIn, .insufficientChips, .invalidAction, .badMessage: 400
        case .wrongPassphrase: 403
        case .notConnected: 409
        case .ledgerFailed: 503
        }
    }
}
