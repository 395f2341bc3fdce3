import FeltConfig
import FeltTables
import PokerEngine

extension TableSettings {
    /// The settings of a configured table: its type's game, buy-in, seats and clocks, and
    /// the server's hand pause, sit-out timeout, reconnect grace and heartbeat.
    public init(table: TableConfig, server: ServerConfig) {
        let type = table.type
        let variant: GameVariant
        switch type.variant {
        case .nlhe: variant = .nlhe
        case .plo: variant = .plo
        case .flhe: variant = .flhe
        }
        let ante: Ante
        switch type.ante {
        case .none: ante = .none
        case .perPlayer(let amount): ante = .perPlayer(Int(amount))
        case .bigBlind(let amount): ante = .bigBlind(Int(amount))
        }
        let rules = GameRules(variant: variant, smallBlind: Int(type.blinds.small), bigBlind: Int(type.blinds.big), ante: ante,
                              rake: RakeRule(basisPoints: type.rake.basisPoints, capPerHand: Int(type.rake.cap),
                                             noFlopNoDrop: type.rake.noFlopNoDrop))
        self.init(tableID: table.id, name: table.name, rules: rules, buyInMin: Int(type.buyIn.min), buyInMax: Int(type.buyIn.max),
                  seatCount: type.seats, actionTimeoutMillis: max(1, type.actionTimeout.milliseconds),
                  timeBankMillis: type.timeBank.milliseconds, timeBankRefillMillis: type.timeBankRefill.milliseconds,
                  isPrivate: type.isPrivate,
                  handPauseMillis: server.handPause.milliseconds, sitOutTimeoutMillis: server.sitOutTimeout.milliseconds,
                  reconnectGraceMillis: server.reconnectGrace.milliseconds,
                  heartbeatIntervalMillis: max(1, server.heartbeatInterval.milliseconds))
    }
}
