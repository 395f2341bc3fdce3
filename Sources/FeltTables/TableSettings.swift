import PokerEngine

/// Everything a table plays by, as plain values. The server maps its configuration into it.
///
/// Times are whole milliseconds. Changes made with `TableState.updateSettings(_:)` apply at
/// the next hand boundary.
public struct TableSettings: Sendable, Equatable, Hashable {
    /// Stable table id from the configuration (URL-safe).
    public var tableID: String
    /// Display name.
    public var name: String
    /// The game: variant, blinds, ante, limits and rake (the engine's rules).
    public var rules: GameRules
    /// Smallest buy-in accepted.
    public var buyInMin: Int
    /// Largest buy-in accepted.
    public var buyInMax: Int
    /// Number of seats (2…10).
    public var seatCount: Int
    /// Time a player has to act before the time bank starts (ms).
    public var actionTimeoutMillis: Int64
    /// Extra time per player, used once the action timeout runs out (ms). It is also the cap
    /// of the bank: a new seat starts full, what a turn uses is gone, and after every hand the
    /// player was dealt into the bank grows by `timeBankRefillMillis`, up to this.
    public var timeBankMillis: Int64
    /// Added to a player's time bank after each hand they were dealt into, up to
    /// `timeBankMillis` (ms); 0 = the bank is never refilled while seated.
    public var timeBankRefillMillis: Int64
    /// Whether the table is private: joins need `passphraseVerified` (the server checks the passphrase).
    public var isPrivate: Bool
    /// Pause between the end of one hand and the start of the next (ms).
    public var handPauseMillis: Int64
    /// A player sitting out longer than this is removed and paid out (ms).
    public var sitOutTimeoutMillis: Int64
    /// How long a seated player whose connection dropped may reconnect before being removed
    /// (ms); 0 = disconnect is leave (the client guide's auto-leave).
    public var reconnectGraceMillis: Int64
    /// How often the actor re-sends game views to every viewer (ms).
    public var heartbeatIntervalMillis: Int64

    /// Creates settings; the defaults follow the configuration (30 s action, 60 s bank refilled
    /// by 2 s a hand, 2 s pause, 5 min sit-out, no reconnect grace, 1 s heartbeat).
    public init(tableID: String, name: String, rules: GameRules, buyInMin: Int, buyInMax: Int,
                seatCount: Int, actionTimeoutMillis: Int64 = 30_000, timeBankMillis: Int64 = 60_000,
                timeBankRefillMillis: Int64 = 2_000, isPrivate: Bool = false, handPauseMillis: Int64 = 2_000,
                sitOutTimeoutMillis: Int64 = 300_000, reconnectGraceMillis: Int64 = 0,
                heartbeatIntervalMillis: Int64 = 1_000) {
        self.tableID = tableID
        self.name = name
        self.rules = rules
        self.buyInMin = buyInMin
        self.buyInMax = buyInMax
        self.seatCount = seatCount
        self.actionTimeoutMillis = actionTimeoutMillis
        self.timeBankMillis = timeBankMillis
        self.timeBankRefillMillis = timeBankRefillMillis
        self.isPrivate = isPrivate
        self.handPauseMillis = handPauseMillis
        self.sitOutTimeoutMillis = sitOutTimeoutMillis
        self.reconnectGraceMillis = reconnectGraceMillis
        self.heartbeatIntervalMillis = heartbeatIntervalMillis
    }

    /// The game variant.
    public var variant: GameVariant { rules.variant }
    /// Small blind.
    public var smallBlind: Int { rules.smallBlind }
    /// Big blind.
    public var bigBlind: Int { rules.bigBlind }
    /// Ante structure.
    public var ante: Ante { rules.ante }
    /// Rake rule.
    public var rake: RakeRule { rules.rake }

    /// Checks the settings; the error names the first problem.
    public func validate() throws(TableSettingsError) {
        guard !tableID.isEmpty else { throw TableSettingsError("table id must not be empty") }
        do { try rules.validate() } catch { throw TableSettingsError(error.reason) }
        guard (2...10).contains(seatCount) else { throw TableSettingsError("seats must be 2 to 10, got \(seatCount)") }
        guard buyInMin >= 1, buyInMax >= buyInMin else {
            throw TableSettingsError("buy-in range must be positive with max >= min (\(buyInMin)...\(buyInMax))")
        }
        guard actionTimeoutMillis >= 1, timeBankMillis >= 0, timeBankRefillMillis >= 0, handPauseMillis >= 0,
              sitOutTimeoutMillis >= 0, reconnectGraceMillis >= 0, heartbeatIntervalMillis >= 1 else {
            throw TableSettingsError("timers must not be negative (action timeout and heartbeat at least 1 ms)")
        }
    }
}

/// Invalid table settings, with the reason.
public struct TableSettingsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong.
    public var reason: String
    /// Creates an error.
    public init(_ reason: String) { self.reason = reason }
    /// Stable code.
    public var code: String { "invalid_table_settings" }
    public var description: String { reason }
}
