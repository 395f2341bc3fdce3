import PokerEngine

/// A table as the lobby shows it (`GET /api/tables`, `GET /api/tables/{id}`).
public struct TableSnapshot: Sendable, Equatable {
    /// One occupied seat.
    public struct SeatSummary: Sendable, Equatable {
        public var seat: Int
        public var user: UserID
        public var username: String
        public var stack: Int
        public var isSittingOut: Bool
        public var isConnected: Bool
    }

    /// Lobby status.
    public enum Status: String, Sendable, Equatable {
        /// No hand running.
        case waiting
        /// A hand is running.
        case playing
        /// The table stopped (ledger failure or shutdown).
        case stopped
    }

    public var tableID: String
    public var name: String
    public var variant: GameVariant
    public var smallBlind: Int
    public var bigBlind: Int
    public var ante: Ante
    public var buyInMin: Int
    public var buyInMax: Int
    /// Seats at the table.
    public var seatCount: Int
    /// Players seated.
    public var seatedCount: Int
    /// Connections watching as spectators (not seated).
    public var spectatorCount: Int
    public var isPrivate: Bool
    public var status: Status
    public var handNumber: Int
    /// Occupied seats, ascending.
    public var seats: [SeatSummary]
}

extension TableState {
    /// The lobby snapshot (the actor fills in spectators).
    public func snapshot(spectators: Int = 0) -> TableSnapshot {
        var map: [TableSnapshot.SeatSummary] = []
        for case let s? in seats where s.phase == .seated {
            map.append(TableSnapshot.SeatSummary(seat: s.seat, user: s.user, username: s.username,
                                                 stack: liveStack(s), isSittingOut: s.isSittingOut,
                                                 isConnected: s.isConnected))
        }
        let status: TableSnapshot.Status = stoppedReason != nil ? .stopped : (isHandRunning ? .playing : .waiting)
        return TableSnapshot(tableID: settings.tableID, name: settings.name, variant: settings.variant,
                             smallBlind: settings.smallBlind, bigBlind: settings.bigBlind, ante: settings.ante,
                             buyInMin: settings.buyInMin, buyInMax: settings.buyInMax, seatCount: seats.count,
                             seatedCount: map.count, spectatorCount: spectators, isPrivate: settings.isPrivate,
                             status: status, handNumber: handNumber, seats: map)
    }
}
